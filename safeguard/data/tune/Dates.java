// The dates of gen_tune_dates.py java: three days in every locale the runtime has, as its
// DateFormat writes them (only ASCII-digit forms outside English).
import java.text.DateFormat;
import java.util.*;
public class Dates {
  public static void main(String[] a) {
    Calendar c = Calendar.getInstance();
    int[][] days = {{2012,0,23},{2018,7,9},{2024,9,2}};
    Set<String> seen = new LinkedHashSet<>();
    int n = 0;
    Locale[] ls = DateFormat.getAvailableLocales();
    Arrays.sort(ls, Comparator.comparing(Locale::toString));
    for (Locale l : ls) {
      boolean en = l.getLanguage().equals("en");
      int[] widths = en ? new int[]{DateFormat.SHORT, DateFormat.MEDIUM, DateFormat.LONG, DateFormat.FULL} : new int[]{DateFormat.SHORT, DateFormat.MEDIUM};
      for (int w : widths) {
        int[] d = days[n++ % 3];
        c.set(d[0], d[1], d[2]);
        String s = DateFormat.getDateInstance(w, l).format(c.getTime());
        if (!en && !s.matches("[0-9./\\- ]+")) continue;
        seen.add(s);
      }
    }
    for (String s : seen) System.out.println(s);
  }
}
