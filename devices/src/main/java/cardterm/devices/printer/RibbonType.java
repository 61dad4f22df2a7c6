package cardterm.devices.printer;

import java.util.List;

/** The loaded ribbon, as {@code Rsp} reports it, and the panels it needs for one side. */
public enum RibbonType {
    /** Colour: yellow, magenta, cyan, black, overlay. */
    YMCKO(List.of(Panel.Y, Panel.M, Panel.C, Panel.K, Panel.O)),
    /** Monochrome black. */
    K(List.of(Panel.K));

    private final List<Panel> panels;

    RibbonType(List<Panel> panels) {
        this.panels = panels;
    }

    /** The panels a printed side needs, in download order. */
    public List<Panel> panels() {
        return panels;
    }

    public static RibbonType ofCode(String code) {
        return valueOf(code);
    }
}
