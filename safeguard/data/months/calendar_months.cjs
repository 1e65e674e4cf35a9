// Month names of the Solar Hijri (Iranian and Afghan), Islamic and Ethiopian calendars, for
// derive.py: npm moment-jalaali 0.10.5 (MIT; Persian, Dari and Pashto in their script, and its
// Latin names), moment-hijri 3.0.0 (MIT; Arabic script and Latin, full and short) and abushakir
// 1.5.2 (MIT; Amharic). One a line, `FH` (full) or `SH` (short) and a tab before each. Needs
// `npm install --prefix /tmp/cal moment-jalaali@0.10.5 moment-hijri@3.0.0 abushakir@1.5.2`.
const jalaali = require("moment-jalaali");
const hijri = require("moment-hijri");
const { constants } = require("abushakir/lib/src/utils/constants");

const lines = new Set();
const add = (form, name) => name && lines.add(`${form}\t${name}`);
const months = (data, of, full, short) => {
  for (let m = 0; m < 12; m++) {
    add("FH", data[full](of(m)));
    add("SH", data[short](of(m)));
  }
};
const solar = (m) => jalaali(`1395/${m + 1}/10`, "jYYYY/jM/jD");
const lunar = (m) => hijri(`1438/${m + 1}/10`, "iYYYY/iM/iD");
// English first: the loaders below replace the default locale's names.
months(hijri.localeData("en"), lunar, "iMonths", "iMonthsShort");
months(hijri.localeData("ar-sa"), lunar, "iMonths", "iMonthsShort");
months(jalaali.localeData("en"), solar, "jMonths", "jMonthsShort");
for (const [load, locale, dialects] of [
  ["loadPersian", "fa", ["persian", "persian-modern"]],
  ["loadPersian_dari", "fa-af", ["persian-dari"]],
  ["loadPashto", "ps-af", ["pashto"]],
]) {
  for (const dialect of dialects) {
    jalaali[load]({ dialect });
    months(jalaali.localeData(locale), solar, "jMonths", "jMonthsShort");
  }
}
for (const name of constants.months) add("FH", name);
for (const line of lines) console.log(line);
