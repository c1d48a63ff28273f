package dev.atmodem.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The rows of one run, printed as one Markdown table. Thread-safe for adding. */
public final class Report {

    static final String HEADER = "| measure | modem | figure | limit | ratio | target | result |";

    private final List<Row> rows = Collections.synchronizedList(new ArrayList<>());

    public void add(Row r) {
        rows.add(r);
    }

    public List<Row> rows() {
        synchronized (rows) {
            return List.copyOf(rows);
        }
    }

    public long failures() {
        return rows().stream().filter(r -> Row.FAIL.equals(r.verdict())).count();
    }

    public String toMarkdown() {
        StringBuilder b = new StringBuilder();
        b.append(HEADER).append('\n');
        b.append("|---|---|---|---|---:|---|---|\n");
        for (Row r : rows()) {
            b.append("| ").append(r.measure()).append(" | ").append(r.modem()).append(" | ").append(r.figure())
                    .append(" | ").append(r.limit()).append(" | ").append(Row.fmt(r.ratio())).append(" | ")
                    .append(r.target()).append(" | ").append(r.verdict()).append(" |\n");
        }
        return b.toString();
    }
}
