package dev.atmodem.testkit.sim.ublox;

import dev.atmodem.testkit.LoopbackPeer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The data context, SARA-R4 (CGDCONT/CGACT/UAUTHREQ) against SARA-R5 (UPSD/UPSDA/+UUPSDA), AT-REFERENCE §3A. */
class SaraDataContextTest extends SaraTestBase {

    @Test
    void r4ContextComesUpByItselfAndCgactIsIdempotent() throws Exception {
        r4();
        host.command("AT+CGACT?\r", "\r\n+CGACT: 1,1\r\n\r\nOK\r\n");
        host.command("AT+CGDCONT=1,\"IP\",\"internet\"\r", "\r\nOK\r\n");
        host.command("AT+CGDCONT?\r", "\r\n+CGDCONT: 1,\"IP\",\"internet\",\"10.0.0.2\",0,0\r\n\r\nOK\r\n");
        host.command("AT+CGACT=1,1\r", "\r\nOK\r\n");            // already active: OK again (§3A, R422 note)
        host.command("AT+CGPADDR=1\r", "\r\n+CGPADDR: 1,\"10.0.0.2\"\r\n\r\nOK\r\n");
        host.command("AT+CGACT=0,1\r", "\r\nOK\r\n");
        host.command("AT+CGACT?\r", "\r\n+CGACT: 1,0\r\n\r\nOK\r\n");
        host.command("AT+CGPADDR=1\r", "\r\n+CGPADDR: 1,\"0.0.0.0\"\r\n\r\nOK\r\n");
        host.command("AT+USOCR=6\r", "\r\n+USOCR: 0\r\n\r\nOK\r\n");
        host.command("AT+USOCO=0,\"127.0.0.1\",1\r", "\r\nERROR\r\n");   // no bearer
        host.command("AT+USOER\r", "\r\n+USOER: 113\r\n\r\nOK\r\n");
        sim.control(SaraDialect.class, d -> d.contextAddress("10.1.2.3"));
        host.command("AT+CGACT=1,1\r", "\r\nOK\r\n");
        host.command("AT+CGPADDR=1\r", "\r\n+CGPADDR: 1,\"10.1.2.3\"\r\n\r\nOK\r\n");
        host.command("AT+UPSDA=0,3\r", "\r\nERROR\r\n");          // the R4 has no PSD profile for sockets
    }

    @Test
    void r4TakesThePasswordBeforeTheUserName() throws Exception {
        r4();
        sim.control(SaraDialect.class, d -> d.requireCredentials("user", "secret"));
        host.command("AT+CMEE=1\r", "\r\nOK\r\n");
        host.command("AT+CGACT=0,1\r", "\r\nOK\r\n");
        host.command("AT+CGDCONT=1,\"IP\",\"corp.apn\"\r", "\r\nOK\r\n");
        // the R5 (username-first) order is wrong on an R4: the network rejects it
        host.command("AT+UAUTHREQ=1,1,\"user\",\"secret\"\r", "\r\nOK\r\n");
        host.command("AT+CGACT=1,1\r", "\r\n+CME ERROR: 149\r\n");
        host.command("AT+UAUTHREQ=1,1,\"secret\",\"user\"\r", "\r\nOK\r\n");
        host.command("AT+CGACT=1,1\r", "\r\nOK\r\n");
        // the 27.007 command takes user then password on every model
        host.command("AT+CGACT=0,1\r", "\r\nOK\r\n");
        host.command("AT+CGAUTH=1,1,\"user\",\"secret\"\r", "\r\nOK\r\n");
        host.command("AT+CGACT=1,1\r", "\r\nOK\r\n");
    }

    @Test
    void r5ActivatesAPsdProfileAndReportsItWithUupsda() throws Exception {
        ready("sara-r5");
        host.command("AT+CMEE=2\r", "\r\nOK\r\n");
        host.command("AT+UPSND=0,8\r", "\r\n+UPSND: 0,8,0\r\n\r\nOK\r\n");
        host.command("AT+USOCR=6\r", "\r\n+USOCR: 0\r\n\r\nOK\r\n");
        host.command("AT+USOCO=0,\"127.0.0.1\",1\r", "\r\n+CME ERROR: Operation not allowed\r\n");
        host.command("AT+UPSD=0,0,0\r", "\r\nOK\r\n");
        host.command("AT+UPSD=0,100,1\r", "\r\nOK\r\n");
        host.command("AT+UPSD=0,100\r", "\r\n+UPSD: 0,100,1\r\n\r\nOK\r\n");
        host.command("AT+UPSDA=0,3\r", "\r\nOK\r\n");
        host.expect("\r\n+UUPSDA: 0,\"10.0.0.2\"\r\n");
        host.command("AT+UPSND=0,8\r", "\r\n+UPSND: 0,8,1\r\n\r\nOK\r\n");
        host.command("AT+UPSND=0,0\r", "\r\n+UPSND: 0,0,\"10.0.0.2\"\r\n\r\nOK\r\n");
        host.command("AT+UPSDA=0,3\r", "\r\n+CME ERROR: Operation not allowed\r\n");
        LoopbackPeer p = peer();
        host.send("AT+USOCO=0,\"127.0.0.1\"," + p.port() + "\r");
        closeables.add(p.accept(Duration.ofSeconds(5)));
        host.expect("\r\nOK\r\n");
        host.command("AT+UPSDA=0,4\r", "\r\nOK\r\n");             // host deactivation: no +UUPSDD
        host.command("AT+UPSND=0,8\r", "\r\n+UPSND: 0,8,0\r\n\r\nOK\r\n");
        host.command("AT+USOCTL=0,10\r", "\r\n+USOCTL: 0,10,0\r\n\r\nOK\r\n");
    }

    @Test
    void r5TakesTheUserNameFirstAndARejectionComesInUupsda() throws Exception {
        ready("sara-r5");
        sim.control(SaraDialect.class, d -> d.requireCredentials("user", "secret"));
        host.command("AT+UAUTHREQ=1,1,\"secret\",\"user\"\r", "\r\nOK\r\n");      // the R4 order: wrong here
        host.command("AT+UPSDA=0,3\r", "\r\nOK\r\n");
        host.expect("\r\n+UUPSDA: 1\r\n");
        host.command("AT+UAUTHREQ=1,1,\"user\",\"secret\"\r", "\r\nOK\r\n");
        host.command("AT+UPSDA=0,3\r", "\r\nOK\r\n");
        host.expect("\r\n+UUPSDA: 0,\"10.0.0.2\"\r\n");
    }

    @Test
    void r5EmptyReadKeepsTheLength() throws Exception {
        r5();
        open(peer(), 0);
        host.command("AT+USORD=0,100\r", "\r\n+USORD: 0,0,\"\"\r\n\r\nOK\r\n");
    }

    @Test
    void deregistrationTakesTheBearerAndReregistrationBringsTheR4ContextBack() throws Exception {
        r4();
        host.command("AT+COPS=2\r", "\r\nOK\r\n");
        host.command("AT+CGACT?\r", "\r\n+CGACT: 1,0\r\n\r\nOK\r\n");
        host.command("AT+COPS=0\r", "\r\nOK\r\n");
        host.command("AT+CGACT?\r", "\r\n+CGACT: 1,1\r\n\r\nOK\r\n");
    }
}
