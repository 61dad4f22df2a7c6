package cardterm.terminal.sim;

import cardterm.devices.citizen.ResidentId;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * Made-up issuance jobs for demos and training: a citizen of a given age with a valid (check
 * character correct) but fictitious ID number. Never a real person.
 */
public final class DemoJobs {
    private static final String[] NAMES = {"张三", "李四", "王五", "赵六", "陈晓明", "林小红"};
    private static final String AREA = "330302"; // Wenzhou, Lucheng

    private DemoJobs() {}

    /** A fictitious ID number of someone {@code age} on {@code today}, born {@code age} years and 30 days before. */
    public static String idNumberForAge(int age, LocalDate today, int sequence) {
        LocalDate birth = today.minusYears(age).minusDays(30);
        String first17 = AREA + birth.format(DateTimeFormatter.BASIC_ISO_DATE) + String.format("%03d", sequence % 1000);
        return first17 + ResidentId.checkCharacter(first17);
    }

    /**
     * The {@code issue} args (hub-contract.md) of demo job number {@code n}.
     *
     * @param optOut {@code true} writes {@code "transitConcession": false}
     */
    public static ObjectNode job(String jobId, String staffId, int age, boolean optOut, LocalDate today, int n) {
        ObjectNode j = JsonNodeFactory.instance.objectNode();
        j.put("jobId", jobId);
        j.put("staffId", staffId);
        ObjectNode c = j.putObject("citizen");
        int seq = 100 + 2 * (n % 400) + 1; // odd: male
        String id = idNumberForAge(age, today, seq);
        c.put("idNumber", id);
        c.put("name", NAMES[Math.floorMod(n, NAMES.length)]);
        c.put("gender", "1");
        c.put("ethnicity", 1);
        ObjectNode card = j.putObject("card");
        card.put("cardNumber", String.format("D%08d", Math.floorMod(n, 100_000_000)));
        card.put("issueDate", today.toString());
        card.put("expiryDate", today.plusYears(10).toString());
        if (optOut) {
            j.put("transitConcession", false);
        }
        return j;
    }
}
