/**
 * Device drivers behind small interfaces, each with a simulator: card reader and SAM (PC/SC) and
 * the chip profile, the {@code ecl} card printer and its card face, call buttons, lamps and
 * buzzers (Pi4J), and the health model they all report in.
 */
module cardterm.devices {
    requires cardterm.bridge;
    requires com.pi4j;
    requires com.pi4j.plugin.gpiod;
    requires com.pi4j.plugin.mock;
    requires transitive com.fazecast.jSerialComm;
    requires transitive java.desktop;
    requires java.smartcardio;
    requires jdk.net;
    requires org.slf4j;

    exports cardterm.devices.check;
    exports cardterm.devices.concurrent;
    exports cardterm.devices.chip;
    exports cardterm.devices.chip.sim;
    exports cardterm.devices.citizen;
    exports cardterm.devices.gpio;
    exports cardterm.devices.health;
    exports cardterm.devices.pcsc;
    exports cardterm.devices.printer;
    exports cardterm.devices.printer.face;
    exports cardterm.devices.printer.sim;
}
