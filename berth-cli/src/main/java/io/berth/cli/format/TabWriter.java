package io.berth.cli.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Column alignment as Go's tabwriter does it for docker's tables: cells are separated by tabs,
 * every column but the last is padded to max(widest cell + padding, minWidth).
 */
public final class TabWriter {

    private final int minWidth;
    private final int padding;
    private final List<String[]> rows = new ArrayList<>();

    public TabWriter(int minWidth, int padding) {
        this.minWidth = minWidth;
        this.padding = padding;
    }

    /** docker's formatter tables: minwidth 10, padding 3. */
    public static TabWriter docker() {
        return new TabWriter(10, 3);
    }

    /** Adds text that may hold several lines, each with tab-separated cells. */
    public TabWriter add(String text) {
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        for (String line : body.split("\n", -1)) {
            rows.add(line.split("\t", -1));
        }
        return this;
    }

    public TabWriter row(String... cells) {
        rows.add(cells);
        return this;
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        renderBlock(0, rows.size(), out);
        return out.toString();
    }

    private void renderBlock(int from, int to, StringBuilder out) {
        int columns = 0;
        for (int r = from; r < to; r++) {
            columns = Math.max(columns, rows.get(r).length);
        }
        int[] widths = new int[columns];
        for (int r = from; r < to; r++) {
            String[] cells = rows.get(r);
            for (int c = 0; c < cells.length - 1; c++) {
                widths[c] = Math.max(widths[c], width(cells[c]) + padding);
            }
        }
        for (int c = 0; c < columns; c++) {
            widths[c] = Math.max(widths[c], minWidth);
        }
        for (int r = from; r < to; r++) {
            String[] cells = rows.get(r);
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cells.length; c++) {
                line.append(cells[c]);
                if (c < cells.length - 1) {
                    line.append(" ".repeat(widths[c] - width(cells[c])));
                }
            }
            out.append(line).append('\n');
        }
    }

    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }
}
