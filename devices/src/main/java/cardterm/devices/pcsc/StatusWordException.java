package cardterm.devices.pcsc;

/** A command answered with a status word other than the one expected. Carries the SW and the command header. */
public final class StatusWordException extends SmartCardException {
    private final int sw;
    private final String command;

    /**
     * @param sw the status word, e.g. {@code 0x6982}
     * @param command what was sent, without data (e.g. {@code UPDATE RECORD EF05/5} or a header)
     */
    public StatusWordException(int sw, String command) {
        super(String.format("%s answered SW %04X", command, sw));
        this.sw = sw;
        this.command = command;
    }

    public int sw() {
        return sw;
    }

    public int sw1() {
        return sw >> 8;
    }

    public int sw2() {
        return sw & 0xFF;
    }

    public String command() {
        return command;
    }
}
