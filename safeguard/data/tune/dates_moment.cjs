// The dates of gen_tune_dates.py from moment.js (npm, MIT): three days in every locale of
// moment's, as its numeric formats write them (only ASCII-digit forms outside English) and
// every longer format of the English locales; one a line.
const moment = require("moment");
require("moment/min/locales");

const DAYS = [[2012, 0, 23], [2018, 7, 9], [2024, 9, 2]];
const ENGLISH = ["L", "l", "LL", "ll", "dddd, LL", "D MMM YYYY", "Do MMMM YYYY"];

const seen = new Set();
let n = 0;
for (const locale of moment.locales()) {
  const english = locale === "en" || locale.startsWith("en-");
  for (const format of english ? ENGLISH : ["L", "l"]) {
    const value = moment(DAYS[n % DAYS.length]).locale(locale).format(format);
    n += 1;
    if ((english || /^[0-9./\- ]+$/.test(value)) && !seen.has(value)) {
      seen.add(value);
      console.log(value);
    }
  }
}
