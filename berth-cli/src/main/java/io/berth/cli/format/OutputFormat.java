package io.berth.cli.format;

import java.util.List;
import java.util.Map;

/**
 * A docker {@code --format} value applied to rows: {@code table ...} prints a header made from the
 * same template (each field replaced by its column title) and aligns columns; any other template
 * prints one line per row as written; {@code json} prints each row as JSON.
 */
public final class OutputFormat {

    private final boolean table;
    private final GoTemplate template;

    private OutputFormat(boolean table, GoTemplate template) {
        this.table = table;
        this.template = template;
    }

    public static OutputFormat parse(String format) {
        String f = format;
        boolean table = false;
        if (f.equals("json")) {
            f = "{{json .}}";
        } else if (f.equals("table")) {
            throw new TemplateException("template: \"table\" needs columns");
        } else if (f.startsWith("table")) {
            table = true;
            f = f.substring("table".length());
        }
        f = f.strip().replace("\\t", "\t").replace("\\n", "\n");
        return new OutputFormat(table, GoTemplate.parse(f));
    }

    public boolean isTable() {
        return table;
    }

    /** Renders the rows; {@code headers} maps field names to column titles (functions for fields taking arguments). */
    public String render(List<? extends Map<String, ?>> rows, Map<String, ?> headers) {
        StringBuilder body = new StringBuilder();
        for (Map<String, ?> row : rows) {
            // docker marshals a listing's row as a map, so {{json .}} has its fields sorted; sorted here too, since
            // json keeps the order of objects that look like structs
            body.append(template.execute(new java.util.TreeMap<>(row))).append('\n');
        }
        if (!table) {
            return body.toString();
        }
        TabWriter writer = TabWriter.docker();
        writer.add(template.execute(headers));
        if (!body.isEmpty()) {
            writer.add(body.toString());
        }
        return writer.render();
    }
}
