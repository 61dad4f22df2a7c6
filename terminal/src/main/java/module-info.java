/**
 * The counter terminal's service and its command line ({@code cardterm}): issuance, assistance
 * calls, health, events and commands, the hub link, the audit trail, config, the simulator and
 * the benchmarks. Nothing is exported: it is the top of the stack, run as an application (the
 * shaded jar on the class path); the module keeps its own dependencies explicit and checked.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module cardterm.terminal {
    requires cardterm.devices;
    requires java.sql;
    requires java.management;
    requires java.smartcardio;
    requires jdk.management;
    requires jdk.httpserver;
    requires java.net.http; // bench console: the DevTools client of headless chromium
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires org.yaml.snakeyaml;
    requires org.xerial.sqlitejdbc;
    requires info.picocli;
    requires org.slf4j;
    requires ch.qos.logback.classic;
    requires ch.qos.logback.core;
    requires org.eclipse.paho.client.mqttv3;
    requires moquette.broker;

    // picocli sets the commands' @Option and @Parameters fields by reflection
    opens cardterm.terminal.cli to info.picocli;
    opens cardterm.terminal.bench to info.picocli;
    opens cardterm.terminal.aot to info.picocli;
}
