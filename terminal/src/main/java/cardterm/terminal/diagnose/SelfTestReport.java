package cardterm.terminal.diagnose;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Every check of a self-test, in the order run; passed only when all passed. */
public record SelfTestReport(List<CheckResult> checks) {
    public SelfTestReport {
        checks = List.copyOf(checks);
    }

    public boolean passed() {
        return checks.stream().allMatch(CheckResult::passed);
    }

    public List<CheckResult> failures() {
        return checks.stream().filter(c -> !c.passed()).toList();
    }

    /** One line per check ({@code PASS name: detail} / {@code FAIL name: detail} + hint line), then a summary. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        int width = checks.stream().mapToInt(c -> c.check().length()).max().orElse(0);
        for (CheckResult c : checks) {
            out.add((c.passed() ? "PASS " : "FAIL ") + pad(c.check(), width) + "  " + c.detail());
            if (!c.passed()) {
                out.add("     " + pad("", width) + "  -> " + c.hint());
            }
        }
        out.add(passed() ? "all " + checks.size() + " checks passed"
                : failures().size() + " of " + checks.size() + " checks failed");
        return out;
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }

    /** {@code {"passed":bool,"checks":[{"check","passed","detail","hint"?}]}}: the diagnose reply's result. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("passed", passed());
        o.put("failed", failures().size());
        ArrayNode arr = o.putArray("checks");
        for (CheckResult c : checks) {
            ObjectNode n = arr.addObject();
            n.put("check", c.check());
            n.put("passed", c.passed());
            n.put("detail", c.detail());
            if (!c.passed()) {
                n.put("hint", c.hint());
            }
        }
        return o;
    }
}
