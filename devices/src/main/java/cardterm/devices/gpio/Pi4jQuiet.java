package cardterm.devices.gpio;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Pi4J's board detection quiet off a Raspberry Pi. Pi4J probes /proc/cpuinfo and
 * /proc/device-tree once per JVM, while building the first context, and logs ERROR lines when they
 * are not a Pi's: expected on a PC, alarming in a technician's log. With Logback as the SLF4J
 * backend, the {@code com.pi4j.boardinfo} loggers are switched off while a context is built off a
 * Pi and restored afterwards; with another backend nothing changes.
 */
final class Pi4jQuiet {
    static final String BOARD_INFO_LOGGER = "com.pi4j.boardinfo";
    private static final Path MODEL = Path.of("/proc/device-tree/model");

    private Pi4jQuiet() {
    }

    /** Whether this machine says it is a Raspberry Pi. */
    static boolean runningOnRaspberryPi() {
        try {
            return Files.isReadable(MODEL)
                    && new String(Files.readAllBytes(MODEL), StandardCharsets.US_ASCII).contains("Raspberry Pi");
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** Runs {@code build}, with board detection quiet if this is not a Pi. */
    static <T> T build(Supplier<T> build) {
        if (runningOnRaspberryPi()) {
            return build.get();
        }
        Runnable restore = silence(BOARD_INFO_LOGGER);
        try {
            return build.get();
        } finally {
            restore.run();
        }
    }

    /** Switches a Logback logger off; returns what puts its level back. */
    static Runnable silence(String loggerName) {
        Logger logger = LoggerFactory.getLogger(loggerName);
        try {
            Class<?> levelType = Class.forName("ch.qos.logback.classic.Level", false,
                    logger.getClass().getClassLoader());
            Method getLevel = logger.getClass().getMethod("getLevel");
            Method setLevel = logger.getClass().getMethod("setLevel", levelType);
            Object before = getLevel.invoke(logger);
            setLevel.invoke(logger, levelType.getField("OFF").get(null));
            return () -> {
                try {
                    setLevel.invoke(logger, before);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // the level stays OFF: only board detection lines are lost
                }
            };
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return () -> { };
        }
    }
}
