package dev.atmodem.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The client identity (or none), remembering which sockets the server asked for a certificate, so that a failed
 * handshake can say "the server asked for a client certificate and none was configured".
 */
final class ClientKeyManager extends X509ExtendedKeyManager {

    private final X509ExtendedKeyManager delegate;
    private final Map<Object, Boolean> asked = Collections.synchronizedMap(new WeakHashMap<>());

    /** {@code delegate} null means no client identity is configured. */
    ClientKeyManager(X509ExtendedKeyManager delegate) {
        this.delegate = delegate;
    }

    boolean hasIdentity() {
        return delegate != null;
    }

    boolean wasAsked(Object socketOrEngine) {
        return socketOrEngine != null && asked.containsKey(socketOrEngine);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        if (socket != null) {
            asked.put(socket, Boolean.TRUE);
        }
        return delegate == null ? null : delegate.chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        if (engine != null) {
            asked.put(engine, Boolean.TRUE);
        }
        return delegate == null ? null : delegate.chooseEngineClientAlias(keyType, issuers, engine);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return delegate == null ? null : delegate.getClientAliases(keyType, issuers);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return delegate == null ? null : delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return delegate == null ? null : delegate.getPrivateKey(alias);
    }
}
