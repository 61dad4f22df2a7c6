package cardterm.bridge.link;

/** Told of every change of a {@link Link}'s state, on the link's own thread. Must not block. */
@FunctionalInterface
public interface LinkListener {
    void linkChanged(String linkName, LinkState state);
}
