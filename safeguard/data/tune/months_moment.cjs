// The dates of gen_tune_dates.py months from moment.js (npm, MIT): one day in every locale of
// moment's but English, in its long date format ("LL"), where a month is named; one a line.
const moment = require("moment");
require("moment/min/locales");

const DAYS = [[2011, 3, 14], [2015, 8, 27], [2022, 1, 3]];
let n = 0;
for (const locale of moment.locales()) {
  if (locale === "en" || locale.startsWith("en-")) continue;
  console.log(moment(DAYS[n++ % DAYS.length]).locale(locale).format("LL"));
}
