package io.berth.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Object data(String json) throws Exception {
        return JSON.readValue(json, Object.class);
    }

    @Test
    void fieldsNestedFieldsAndJson() throws Exception {
        Object c = data("{\"Id\":\"abc\",\"State\":{\"Status\":\"running\",\"Pid\":42,\"Running\":true},"
                + "\"Config\":{\"Labels\":{\"a.b\":\"x\"},\"Env\":[\"A=1\",\"B=2\"],\"Cmd\":null}}");
        assertThat(GoTemplate.parse("{{.State.Status}} {{.State.Pid}} {{.State.Running}}").execute(c)).isEqualTo("running 42 true");
        // a struct's fields in the daemon's order, as docker's Go types print them; a map's keys sorted, as Go does
        assertThat(GoTemplate.parse("{{json .State}}").execute(c)).isEqualTo("{\"Status\":\"running\",\"Pid\":42,\"Running\":true}");
        assertThat(GoTemplate.parse("{{json .Containers}}").execute(data("{\"Containers\":{\"b2\":{\"Name\":\"x\",\"EndpointID\":\"e\"},"
                + "\"a1\":{\"Name\":\"y\",\"EndpointID\":\"f\"}}}"))).isEqualTo(
                "{\"a1\":{\"Name\":\"y\",\"EndpointID\":\"f\"},\"b2\":{\"Name\":\"x\",\"EndpointID\":\"e\"}}");
        // a listing's row is a map to docker: its fields sorted
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("Names", "web");
        row.put("ID", "abc");
        assertThat(OutputFormat.parse("json").render(List.of(row), Map.of())).isEqualTo("{\"ID\":\"abc\",\"Names\":\"web\"}\n");
        assertThat(GoTemplate.parse("{{index .Config.Labels \"a.b\"}}").execute(c)).isEqualTo("x");
        assertThat(GoTemplate.parse("{{.Config.Env}}").execute(c)).isEqualTo("[A=1 B=2]");
        assertThat(GoTemplate.parse("{{.Missing}}|{{json .Config.Cmd}}").execute(c)).isEqualTo("<no value>|null");
        assertThat(GoTemplate.parse("{{join .Config.Env \",\"}}").execute(c)).isEqualTo("A=1,B=2");
        assertThat(GoTemplate.parse("{{.Id | upper}}").execute(c)).isEqualTo("ABC");
        assertThat(GoTemplate.parse("{{json (index .Config.Env 1)}}").execute(c)).isEqualTo("\"B=2\"");
    }

    @Test
    void rangeIfWithAndVariables() throws Exception {
        Object c = data("{\"Env\":[\"A=1\",\"B=2\"],\"Ports\":{\"80/tcp\":[{\"HostPort\":\"8080\"}],\"53/udp\":null},\"Empty\":[]}");
        assertThat(GoTemplate.parse("{{range .Env}}[{{.}}]{{end}}").execute(c)).isEqualTo("[A=1][B=2]");
        assertThat(GoTemplate.parse("{{range $p, $c := .Ports}}{{$p}} {{end}}").execute(c)).isEqualTo("53/udp 80/tcp ");
        assertThat(GoTemplate.parse("{{range .Empty}}x{{else}}none{{end}}").execute(c)).isEqualTo("none");
        assertThat(GoTemplate.parse("{{if .Empty}}y{{else if .Env}}env{{else}}n{{end}}").execute(c)).isEqualTo("env");
        assertThat(GoTemplate.parse("{{with .Env}}{{len .}}{{end}}").execute(c)).isEqualTo("2");
        assertThat(GoTemplate.parse("{{- range .Env }} {{.}} {{- end}}").execute(c)).isEqualTo(" A=1 B=2");
        assertThat(GoTemplate.parse("{{range .Env}}{{$.Empty}}{{end}}").execute(c)).isEqualTo("[][]");
    }

    @Test
    void templateErrors() {
        assertThatThrownBy(() -> GoTemplate.parse("{{.A")).isInstanceOf(TemplateException.class);
        assertThatThrownBy(() -> GoTemplate.parse("{{nofunc .A}}").execute(Map.of())).isInstanceOf(TemplateException.class);
        assertThatThrownBy(() -> GoTemplate.parse("{{range .A}}x").execute(Map.of())).isInstanceOf(TemplateException.class);
    }

    @Test
    void tableFormatAlignsColumnsWithHeaders() {
        Map<String, Object> r1 = new LinkedHashMap<>();
        r1.put("ID", "0123456789ab");
        r1.put("Names", "web");
        Map<String, Object> r2 = new LinkedHashMap<>();
        r2.put("ID", "ba9876543210");
        r2.put("Names", "db");
        String out = OutputFormat.parse("table {{.ID}}\\t{{.Names}}").render(List.of(r1, r2), Map.of("ID", "CONTAINER ID", "Names", "NAMES"));
        assertThat(out).isEqualTo("""
                CONTAINER ID   NAMES
                0123456789ab   web
                ba9876543210   db
                """);
        assertThat(OutputFormat.parse("{{.Names}}").render(List.of(r1, r2), Map.of())).isEqualTo("web\ndb\n");
        assertThat(OutputFormat.parse("table {{.Names}}\t{{.ID}}").render(List.of(), Map.of("ID", "CONTAINER ID", "Names", "NAMES")))
                .isEqualTo("NAMES     CONTAINER ID\n");
    }

    @Test
    void tabWriterUsesMinimumWidthAndPadding() {
        assertThat(TabWriter.docker().row("A", "B", "C").row("longer-cell", "x", "").render())
                .isEqualTo("A             B         C\nlonger-cell   x         \n");
    }

    @Test
    void humanDurations() {
        assertThat(Humanize.duration(Duration.ofMillis(500))).isEqualTo("Less than a second");
        assertThat(Humanize.duration(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(Humanize.duration(Duration.ofSeconds(3))).isEqualTo("3 seconds");
        assertThat(Humanize.duration(Duration.ofSeconds(90))).isEqualTo("About a minute");
        assertThat(Humanize.duration(Duration.ofMinutes(2))).isEqualTo("2 minutes");
        assertThat(Humanize.duration(Duration.ofMinutes(59))).isEqualTo("59 minutes");
        assertThat(Humanize.duration(Duration.ofMinutes(60))).isEqualTo("About an hour");
        assertThat(Humanize.duration(Duration.ofHours(5))).isEqualTo("5 hours");
        assertThat(Humanize.duration(Duration.ofDays(3))).isEqualTo("3 days");
        assertThat(Humanize.duration(Duration.ofDays(20))).isEqualTo("2 weeks");
        assertThat(Humanize.duration(Duration.ofDays(90))).isEqualTo("3 months");
        assertThat(Humanize.duration(Duration.ofDays(800))).isEqualTo("2 years");
    }

    @Test
    void humanSizes() {
        assertThat(Humanize.size(0, 3)).isEqualTo("0B");
        assertThat(Humanize.size(999, 3)).isEqualTo("999B");
        assertThat(Humanize.size(4_264_000, 3)).isEqualTo("4.26MB");
        assertThat(Humanize.size(4_264_000)).isEqualTo("4.264MB");
        assertThat(Humanize.size(1_000, 3)).isEqualTo("1kB");
        assertThat(Humanize.size(1_500_000_000, 3)).isEqualTo("1.5GB");
        assertThat(Humanize.bytes(1024 * 1024 * 1.5)).isEqualTo("1.5MiB");
        assertThat(Humanize.bytes(512)).isEqualTo("512B");
        assertThat(Humanize.ellipsis("sleep 1000000000000000", 20)).isEqualTo("sleep 1000000000000…");
        assertThat(Humanize.shortId("sha256:0123456789abcdef")).isEqualTo("0123456789ab");
    }

    @Test
    void goJsonIndentsLikeMarshalIndent() throws Exception {
        String out = GoJson.indent(JSON.readTree("[{\"Id\":\"a\",\"Args\":[],\"Labels\":{},\"N\":1,\"S\":[\"x<y\"]}]"));
        assertThat(out).isEqualTo("""
                [
                    {
                        "Id": "a",
                        "Args": [],
                        "Labels": {},
                        "N": 1,
                        "S": [
                            "x<y"
                        ]
                    }
                ]""");
    }
}
