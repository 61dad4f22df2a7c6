package cardterm.devices.health;

/** Coarse state of a device, as technicians and the hub see it. */
public enum DeviceState {
    /** Works normally. */
    ONLINE,
    /** Reachable, but needs attention: a supply is low or empty, a cover is open, a jam, a stuck button. */
    DEGRADED,
    /** Not reachable or not usable: link down, gone, misconfigured, its service down. */
    OFFLINE,
    /** Not known yet (starting). */
    UNKNOWN
}
