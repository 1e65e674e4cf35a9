// The dates of gen_tune_dates.py months from the Java runtime's own locale data (run with
// -Djava.locale.providers=COMPAT, Sun's from before the JDK took CLDR's; JDK 22 or older):
// one day in every locale but English, in its long date format; one a line.
import java.text.DateFormat;
import java.util.*;
public class MonthsJava {
  public static void main(String[] a) {
    Calendar c = Calendar.getInstance();
    int[][] days = {{2011,3,14},{2015,8,27},{2022,1,3}};
    Locale[] ls = DateFormat.getAvailableLocales();
    Arrays.sort(ls, Comparator.comparing(Locale::toString));
    int n = 0;
    for (Locale l : ls) {
      if (l.getLanguage().equals("en") || l.getLanguage().isEmpty()) continue;
      int[] d = days[n++ % 3];
      c.set(d[0], d[1], d[2]);
      System.out.println(DateFormat.getDateInstance(DateFormat.LONG, l).format(c.getTime()));
    }
  }
}
