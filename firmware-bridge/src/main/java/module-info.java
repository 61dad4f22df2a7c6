/**
 * Links to device firmware: byte transports (serial, TCP, in-process pipes), the {@code ecl}
 * frame codec, one-command-in-flight sessions and the reconnecting link. Only the device drivers
 * use it: the terminal reaches the printer through {@code cardterm.devices}.
 */
@SuppressWarnings("module") // exported to cardterm.devices, which is built after this module
module cardterm.bridge {
    requires transitive com.fazecast.jSerialComm;
    requires org.slf4j;

    exports cardterm.bridge to cardterm.devices;
    exports cardterm.bridge.ecl to cardterm.devices;
    exports cardterm.bridge.link to cardterm.devices;
    exports cardterm.bridge.transport to cardterm.devices;
}
