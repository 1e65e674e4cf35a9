// Dates in the calendars many children in care from Afghanistan, Iran, Eritrea, Ethiopia, Sudan
// and Somalia learnt their birthdays in: the Solar Hijri (Persian and Afghan), the Islamic and
// the Ethiopian, as CLDR writes them (node's own ICU, `Intl.DateTimeFormat`) in every style, for
// the languages that use each calendar and English. Prints [locale, calendar, style, value]
// rows as JSON for gen_dates_calendars.py.
const days = [new Date(2009, 2, 12), new Date(2016, 10, 5), new Date(2021, 5, 30)];
const calendars = {
  persian: ["fa", "fa-AF", "ps", "en", "ckb", "uz-Arab", "tg"],
  "islamic-umalqura": ["ar", "fa", "ur", "ps", "en", "so", "ms", "tr", "id", "bn", "uz", "ha"],
  "islamic-civil": ["ar", "ur", "en"],
  ethiopic: ["am", "ti", "en", "om", "so"],
};
const rows = [];
let n = 0;
for (const [calendar, locales] of Object.entries(calendars)) {
  for (const locale of locales) {
    for (const style of ["short", "medium", "long", "full"]) {
      const f = new Intl.DateTimeFormat(`${locale}-u-ca-${calendar}`, { dateStyle: style });
      rows.push([locale, calendar, style, f.format(days[n++ % 3])]);
    }
  }
}
console.log(JSON.stringify(rows));
