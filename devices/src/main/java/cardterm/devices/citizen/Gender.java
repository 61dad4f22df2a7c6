package cardterm.devices.citizen;

/** Gender as the chip stores it (EF06 record 3): ASCII {@code 1} male, {@code 2} female. */
public enum Gender {
    MALE("1"),
    FEMALE("2");

    private final String code;

    Gender(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** {@code "1"} or {@code "2"}; anything else is {@code null}. */
    public static Gender ofCode(String code) {
        for (Gender g : values()) {
            if (g.code.equals(code)) {
                return g;
            }
        }
        return null;
    }
}
