// Dates of the Solar Hijri and Islamic calendars for gen_tune_dates.py `calendars`: three days
// in formats written here, in moment-jalaali's locales (Persian, Dari, Pashto, English) and
// moment-hijri's (Arabic, English), one a line. Needs `npm install --prefix /tmp/cal
// moment-jalaali@0.10.5 moment-hijri@3.0.0`.
const jalaali = require("moment-jalaali");
const hijri = require("moment-hijri");

const days = ["2008-04-21", "2014-09-02", "2019-12-17"];
const out = new Set();
const solar = ["jD jMMMM jYYYY", "jYYYY/jMM/jDD", "jD jMMM jYYYY", "dddd jD jMMMM jYYYY", "jYYYY jMMMM jD"];
const lunar = ["iD iMMMM iYYYY", "iYYYY/iM/iD", "iMMMM iD, iYYYY", "iD iMMM iYYYY"];
for (const day of days) {
  for (const f of solar) out.add(jalaali(day, "YYYY-MM-DD").locale("en").format(f));
  for (const f of lunar) out.add(hijri(day, "YYYY-MM-DD").locale("en").format(f));
  for (const f of lunar) out.add(hijri(day, "YYYY-MM-DD").locale("ar-sa").format(f));
}
for (const [load, locale, dialects] of [
  ["loadPersian", "fa", ["persian", "persian-modern"]],
  ["loadPersian_dari", "fa-af", ["persian-dari"]],
  ["loadPashto", "ps-af", ["pashto"]],
]) {
  for (const dialect of dialects) {
    for (const usePersianDigits of [false, true]) {
      jalaali[load]({ dialect, usePersianDigits });
      for (const day of days) {
        for (const f of solar) {
          // moment-jalaali's Dari and Pashto dialects name no weekdays.
          try {
            out.add(jalaali(day, "YYYY-MM-DD").locale(locale).format(f));
          } catch {}
        }
      }
    }
  }
}
for (const line of out) console.log(line);
