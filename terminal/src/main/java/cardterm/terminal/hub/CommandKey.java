package cardterm.terminal.hub;

import cardterm.devices.check.Problems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the per-terminal command key: the file's text, trimmed, as UTF-8 bytes (hub-contract.md). */
public final class CommandKey {
    /** Shortest key accepted, in characters. */
    public static final int MIN_CHARS = 32;

    private CommandKey() {}

    /**
     * The key bytes of {@code file}.
     *
     * @throws HubSettings.InvalidSettings if it cannot be read or is shorter than 32 characters
     */
    public static byte[] read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HubSettings.InvalidSettings(new Problems().add("commandKeyFile",
                    "cannot read " + file + ": " + e.getMessage()));
        }
        String key = text.strip();
        if (key.length() < MIN_CHARS) {
            throw new HubSettings.InvalidSettings(new Problems().add("commandKeyFile",
                    file + " holds " + key.length() + " characters; a key has at least " + MIN_CHARS));
        }
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
