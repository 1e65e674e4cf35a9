// Month names of every moment.js locale (npm `moment` 2.31.0, MIT), for derive.py: the full
// names as a date and alone ("D MMMM", "MMMM") and the abbreviations ("D MMM", "MMM"), one a
// line, `F` or `S` and a tab before each; then the names of the days of the week, full and short
// ("dddd", "ddd"), `W` and a tab before each (session 26). Needs `npm install --prefix /tmp/mom
// moment@2.31.0`.
const moment = require("moment");
require("moment/min/locales");

const seen = new Set();
for (const locale of moment.locales()) {
  for (let m = 0; m < 12; m++) {
    const day = moment([2020, m, 15]).locale(locale);
    for (const format of ["D MMMM", "MMMM", "D MMM", "MMM"]) {
      const name = day.format(format).replace(/^\p{Nd}+\.?\s*/u, "").trim();
      const line = (format.includes("MMMM") ? "F\t" : "S\t") + name;
      if (!seen.has(line)) {
        seen.add(line);
        console.log(line);
      }
    }
  }
}
for (const locale of moment.locales()) {
  for (let d = 0; d < 7; d++) {
    // 2020-03-01 was a Sunday.
    const day = moment([2020, 2, 1 + d]).locale(locale);
    for (const format of ["dddd", "ddd"]) {
      const line = "W\t" + day.format(format).trim();
      if (!seen.has(line)) {
        seen.add(line);
        console.log(line);
      }
    }
  }
}
