package dev.flat.core.report;

import java.util.ArrayList;
import java.util.List;

/** Columns padded to their widest cell: the first left-aligned (names), the rest right-aligned (numbers). */
final class TextTable {
    private final List<String[]> rows = new ArrayList<>();

    TextTable row(String... cells) {
        rows.add(cells);
        return this;
    }

    void appendTo(StringBuilder sb, String indent) {
        int columns = 0;
        for (String[] r : rows) {
            columns = Math.max(columns, r.length);
        }
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < r.length; i++) {
                if (i > 0) {
                    line.append("  ");
                }
                String pad = " ".repeat(width[i] - r[i].length());
                line.append(i == 0 ? r[i] + pad : pad + r[i]);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
