package cardterm.terminal.config;

import static cardterm.terminal.config.ConfigFixtures.lines;
import static cardterm.terminal.config.ConfigFixtures.parse;
import static cardterm.terminal.config.ConfigFixtures.valid;
import static org.assertj.core.api.Assertions.assertThat;

import cardterm.terminal.assist.AssistConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code CARDTERM_...} environment variables laid over the file. */
class EnvOverrideTest {
    @TempDir
    Path dir;

    @Test
    void scalarOverridesTheFileAndAddsMissingKeys() throws Exception {
        TerminalConfig c = valid(parse(dir, ConfigFixtures.minimal(dir), Map.of(
                "CARDTERM_TERMINAL_ID", "t-0099",
                "CARDTERM_ISSUANCE_ELDERLY_AGE", "60",
                "CARDTERM_ISSUANCE_CONCESSION_BY_DEFAULT", "false",
                "PATH", "/usr/bin")));

        assertThat(c.terminal().id()).isEqualTo("t-0099");
        assertThat(c.issuance().elderlyAge()).isEqualTo(60);
        assertThat(c.issuance().concessionByDefault()).isFalse();
    }

    @Test
    void nestedKeys() throws Exception {
        TerminalConfig c = valid(parse(dir, ConfigFixtures.minimal(dir), Map.of(
                "CARDTERM_HUB_RECONNECT_MAX_DELAY", "5m",
                "CARDTERM_PRINTER_TIMEOUTS_MECHANICAL", "90s",
                "CARDTERM_HUB_USERNAME", "t-0042")));

        assertThat(c.hub().backoffMax()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.printer().timeouts().mechanical()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.hub().username()).contains("t-0042");
    }

    @Test
    void wholeListCommaSeparated() throws Exception {
        TerminalConfig c = valid(parse(dir, ConfigFixtures.withButton(dir), Map.of(
                "CARDTERM_HUB_URI", "tcp://a:1883, tcp://b:1883",
                "CARDTERM_SUPERVISORS", "S9001,S9002")));

        assertThat(c.hub().uris().stream().map(URI::create)).containsExactly(URI.create("tcp://a:1883"),
                URI.create("tcp://b:1883"));
        assertThat(c.assist().supervisors()).containsExactly("S9001", "S9002");
    }

    @Test
    void listItemsByIndex() throws Exception {
        TerminalConfig c = valid(parse(dir, ConfigFixtures.withButton(dir), Map.of(
                "CARDTERM_BUTTONS_0_PIN", "4",
                "CARDTERM_BUTTONS_0_LAMP_PIN", "26",
                "CARDTERM_POSTS_0_A_1", "S1002",       // appends to a YAML list
                "CARDTERM_HUB_URI_1", "tcp://b:1883"))); // turns the one-string uri into a list

        assertThat(c.assist().buttons().get(0).wiring().buttonPin()).isEqualTo(4);
        assertThat(c.assist().buttons().get(0).wiring().lampPin()).isEqualTo(26);
        assertThat(c.assist().posts().get("hall").aStaff()).containsExactly("S1001", "S1002");
        assertThat(c.hub().uris()).containsExactly("tcp://127.0.0.1:1883", "tcp://b:1883");
    }

    @Test
    void wholeNewListItemsFromTheEnvironmentAloneInIndexOrder() throws Exception {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            String p = "CARDTERM_BUTTONS_" + i + "_";
            env.put(p + "ID", "b-" + i);
            env.put(p + "PIN", String.valueOf(i));
            env.put(p + "LAMP_PIN", String.valueOf(20 + i));
            env.put(p + "BUZZER_PIN", String.valueOf(40 + i));
            env.put(p + "LOCATION", "counter " + i);
            env.put(p + "POST", "hall");
        }
        env.put("CARDTERM_POSTS_0_NAME", "hall");
        env.put("CARDTERM_POSTS_0_A", "S1");
        env.put("CARDTERM_POSTS_0_B", "S2");
        env.put("CARDTERM_SUPERVISORS_0", "S9");

        TerminalConfig c = valid(parse(dir, ConfigFixtures.minimal(dir), env));

        assertThat(c.assist().buttons()).hasSize(12);
        assertThat(c.assist().buttons().get(10).id()).isEqualTo("b-10");
        assertThat(c.assist().buttons().get(10).wiring().buzzerPin()).isEqualTo(50);
        assertThat(c.assist().posts().get("hall")).extracting(AssistConfig.Post::aStaff).isEqualTo(List.of("S1"));
        assertThat(c.assist().supervisors()).containsExactly("S9");
    }

    @Test
    void emptyValueUnsetsAKey() throws Exception {
        TerminalConfig c = valid(parse(dir, ConfigFixtures.minimal(dir) + "logging:\n  level: debug\n",
                Map.of("CARDTERM_LOGGING_LEVEL", "")));
        assertThat(c.logging().level()).isEqualTo("INFO");

        assertThat(lines(parse(dir, ConfigFixtures.minimal(dir), Map.of("CARDTERM_TERMINAL_ID", " "))))
                .containsExactly("terminal.id: required value missing (set by CARDTERM_TERMINAL_ID)");
    }

    @Test
    void problemsOfEnvironmentValuesNameTheVariable() throws Exception {
        assertThat(lines(parse(dir, ConfigFixtures.withButton(dir), Map.of(
                "CARDTERM_HUB_KEEP_ALIVE", "30",
                "CARDTERM_SUPERVISORS", "S9001,bad id"))))
                .containsExactly(
                        "hub.keepAlive: expected a duration such as 500ms, 3s, 10m or 1h, got '30' (set by CARDTERM_HUB_KEEP_ALIVE)",
                        "supervisors[1]: 'bad id' does not match [A-Za-z0-9-]{1,32} (set by CARDTERM_SUPERVISORS)");
    }

    @Test
    void unknownVariablesAreProblemsWithTheNearestName() throws Exception {
        assertThat(lines(parse(dir, ConfigFixtures.minimal(dir), Map.of(
                "CARDTERM_HUB_URL", "tcp://x:1883",
                "CARDTERM_BUTTONS_3_LAMPPIN", "5",
                "CARDTERM_NOTHING_LIKE_IT_AT_ALL_REALLY", "1",
                "CARDTERM_LOG_DIR", "/tmp/logs",
                "CARDTERM_JAVA_OPTS", "-Xmx64m"))))
                .containsExactly(
                        "CARDTERM_BUTTONS_3_LAMPPIN: no config key matches this environment variable;"
                                + " did you mean CARDTERM_BUTTONS_3_LAMP_PIN?",
                        "CARDTERM_HUB_URL: no config key matches this environment variable;"
                                + " did you mean CARDTERM_HUB_URI?",
                        "CARDTERM_NOTHING_LIKE_IT_AT_ALL_REALLY: no config key matches this environment variable"
                                + " (the name is CARDTERM_ and the key path in upper snake case, e.g. CARDTERM_HUB_URI,"
                                + " CARDTERM_BUTTONS_0_PIN)");
    }

    @Test
    void sectionsAndListsCannotBeSetWhole() throws Exception {
        assertThat(lines(parse(dir, ConfigFixtures.minimal(dir), Map.of(
                "CARDTERM_HUB", "x",
                "CARDTERM_BUTTONS", "x",
                "CARDTERM_POSTS_0", "x"))))
                .containsExactly(
                        "CARDTERM_BUTTONS: names the list 'buttons'; set its items' keys by index, e.g. CARDTERM_BUTTONS_0_ID",
                        "CARDTERM_HUB: names the section 'hub', not one value; set one of its keys, e.g. CARDTERM_HUB_URI",
                        "CARDTERM_POSTS_0: names item 0 of 'posts'; set one of its keys, e.g. CARDTERM_POSTS_0_NAME");
    }

    @Test
    void anIndexPastTheNextItemIsAProblem() throws Exception {
        assertThat(lines(parse(dir, ConfigFixtures.withButton(dir), Map.of("CARDTERM_BUTTONS_2_PIN", "4"))))
                .containsExactly("CARDTERM_BUTTONS_2_PIN: 'buttons' has 1 items; an index may name one of them or the next one (1)");
    }

    @Test
    void cannotApplyIntoAScalar() throws Exception {
        assertThat(lines(parse(dir, ConfigFixtures.minimal(dir) + "assist: fast\n",
                Map.of("CARDTERM_ASSIST_DEBOUNCE", "10ms"))))
                .containsExactly(
                        "CARDTERM_ASSIST_DEBOUNCE: cannot be applied: 'assist' in the file is not a mapping",
                        "assist: expected a mapping of keys, got 'fast'");
    }
}
