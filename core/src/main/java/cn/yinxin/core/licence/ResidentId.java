package cn.yinxin.core.licence;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;

/** The 18-character resident identity number (GB 11643-1999): region, birth date, sequence and a check character. */
public final class ResidentId {

    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String CHECK = "10X98765432";

    private ResidentId() {
    }

    public static boolean isValid(String id) {
        return isValid(id, Clock.systemDefaultZone());
    }

    /** As {@link #isValid(String)}, with today (no one is born after it) from {@code clock}. */
    public static boolean isValid(String id, Clock clock) {
        if (id == null || id.length() != 18) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            sum += (c - '0') * WEIGHTS[i];
        }
        if (CHECK.charAt(sum % 11) != id.charAt(17)) {
            return false;
        }
        try {
            LocalDate birth = LocalDate.of(Integer.parseInt(id.substring(6, 10)), Integer.parseInt(id.substring(10, 12)),
                    Integer.parseInt(id.substring(12, 14)));
            return birth.getYear() >= 1900 && !birth.isAfter(LocalDate.now(clock));
        } catch (DateTimeException e) {
            return false;
        }
    }
}
