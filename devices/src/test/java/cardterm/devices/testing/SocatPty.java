package cardterm.devices.testing;

import java.nio.file.Path;

/**
 * A linked pseudo-terminal pair made by a real {@code socat} process, for tests above the firmware
 * bridge (they reach the printer through {@code devices} only): {@link #hostPath()} for the
 * driver, {@link #devicePath()} for the simulator; {@link #kill()} pulls the cable,
 * {@link #restart()} plugs it back in. The firmware bridge's own test pair, re-exposed.
 */
public final class SocatPty implements AutoCloseable {
    private final cardterm.bridge.testing.SocatPty pty;

    private SocatPty(cardterm.bridge.testing.SocatPty pty) {
        this.pty = pty;
    }

    /** Starts socat with a pair of raw ptys linked under a fresh temporary directory. */
    public static SocatPty start() {
        return new SocatPty(cardterm.bridge.testing.SocatPty.start());
    }

    /** The host end (the driver opens it). */
    public Path hostPath() {
        return pty.hostPath();
    }

    /** The device end (the simulator opens it). */
    public Path devicePath() {
        return pty.devicePath();
    }

    public boolean isRunning() {
        return pty.isRunning();
    }

    /** Pulls the cable: kills socat and waits until it is gone and both links have vanished. */
    public void kill() {
        pty.kill();
    }

    /** Plugs the cable back in: a new socat on the same link paths. */
    public void restart() {
        pty.restart();
    }

    @Override
    public void close() {
        pty.close();
    }

    @Override
    public String toString() {
        return pty.toString();
    }
}
