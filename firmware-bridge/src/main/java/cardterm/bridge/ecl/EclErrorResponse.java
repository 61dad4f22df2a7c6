package cardterm.bridge.ecl;

import java.util.Objects;

/** The device answered {@code ERR;<code>;<text>}. */
public final class EclErrorResponse extends EclException {
    private final EclResponse.Err answer;

    public EclErrorResponse(String command, EclResponse.Err answer) {
        super(command, command + " refused: " + answer.wireCode()
                + (answer.text().isEmpty() ? "" : " (" + answer.text() + ")"));
        this.answer = Objects.requireNonNull(answer, "answer");
    }

    public EclErrorCode code() {
        return answer.code();
    }

    /** The code as sent; differs from {@code code().name()} only for {@link EclErrorCode#UNRECOGNIZED}. */
    public String wireCode() {
        return answer.wireCode();
    }

    public String text() {
        return answer.text();
    }

    public EclResponse.Err answer() {
        return answer;
    }
}
