package cardterm.bridge.link;

import java.util.Objects;

/** Whether a {@link Link} is usable: {@link Up} on a named transport, or {@link Down} with a reason. */
public sealed interface LinkState permits LinkState.Up, LinkState.Down {

    boolean isUp();

    /** Connected; {@code generation} counts connections (1 for the first), so users can tell a reconnect. */
    record Up(String transport, long generation) implements LinkState {
        public Up {
            Objects.requireNonNull(transport, "transport");
        }

        @Override
        public boolean isUp() {
            return true;
        }
    }

    /** Not connected; {@code reason} says why (never opened yet, device removed, refused...). */
    record Down(String reason) implements LinkState {
        public Down {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public boolean isUp() {
            return false;
        }
    }
}
