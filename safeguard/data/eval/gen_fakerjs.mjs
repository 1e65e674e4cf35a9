// Values for the faker-js evaluation set, from the npm package @faker-js/faker (MIT): person
// names, phone numbers, street addresses with their city, emails and links, for locales whose
// names are written in Latin script. Prints JSON; gen_fakerjs.py puts the values into frames.
//   NODE_PATH=... node safeguard/data/eval/gen_fakerjs.mjs > values.json
import { allFakers } from "@faker-js/faker";

const LOCALES = ["en_GB", "en_US", "en_IN", "en_NG", "en_GH", "en_ZA", "en_AU", "en_IE", "af_ZA",
  "yo_NG", "zu_ZA", "fr", "de", "es", "es_MX", "it", "pt_BR", "pt_PT", "nl", "pl", "tr", "vi",
  "id_ID", "ro", "sv", "nb_NO", "da", "fi", "cs_CZ", "sk", "hr", "hu", "lv", "sr_RS_latin",
  "uz_UZ_latin", "az", "ro_MD", "fr_CA", "es", "de_CH"];
const out = { name: [], phone: [], address: [], email: [], url: [] };
for (const loc of LOCALES) {
  const f = allFakers[loc];
  if (!f) continue;
  f.seed(15);
  const tryv = (g) => { try { return g(); } catch { return null; } };
  for (let i = 0; i < 12; i++) {
    const n = i % 3 === 0 ? tryv(() => f.person.firstName()) : tryv(() => f.person.fullName());
    if (n) out.name.push([loc, n]);
  }
  for (let i = 0; i < 5; i++) {
    const p = tryv(() => f.phone.number());
    if (p) out.phone.push([loc, p]);
  }
  for (let i = 0; i < 4; i++) {
    const a = tryv(() => f.location.streetAddress(i % 2 === 0));
    const c = tryv(() => f.location.city());
    if (a) out.address.push([loc, i % 2 === 1 && c ? `${a}, ${c}` : a]);
  }
  out.email.push([loc, tryv(() => f.internet.email())]);
  out.url.push([loc, tryv(() => f.internet.url())]);
}
console.log(JSON.stringify(out));
