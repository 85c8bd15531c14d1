/**
 * The one country table the safety tool reads: ISO 3166-1 alpha-2 code, English name, the code the US
 * State Department tags advisories with (FIPS 10-4 style, often not the ISO code), the GOV.UK travel
 * advice slug, and other names travellers use. One line each: ISO|Name|State code|FCDO slug|aliases.
 */
const table = `
AF|Afghanistan|AF|afghanistan
AL|Albania|AL|albania
DZ|Algeria|AG|algeria
AD|Andorra|AN|andorra
AO|Angola|AO|angola
AI|Anguilla|AV|anguilla
AG|Antigua and Barbuda|AC|antigua-and-barbuda|antigua
AR|Argentina|AR|argentina
AM|Armenia|AM|armenia
AW|Aruba|AA|aruba
AU|Australia|AS|australia
AT|Austria|AU|austria
AZ|Azerbaijan|AJ|azerbaijan
BS|Bahamas|BF|bahamas|the bahamas
BH|Bahrain|BA|bahrain
BD|Bangladesh|BG|bangladesh
BB|Barbados|BB|barbados
BY|Belarus|BO|belarus
BE|Belgium|BE|belgium
BZ|Belize|BH|belize
BJ|Benin|BN|benin
BM|Bermuda|BD|bermuda
BT|Bhutan|BT|bhutan
BO|Bolivia|BL|bolivia
BA|Bosnia and Herzegovina|BK|bosnia-and-herzegovina|bosnia
BW|Botswana|BC|botswana
BR|Brazil|BR|brazil|brasil
VG|British Virgin Islands|VI|british-virgin-islands
BN|Brunei|BX|brunei
BG|Bulgaria|BU|bulgaria
BF|Burkina Faso|UV|burkina-faso
BI|Burundi|BY|burundi
CV|Cape Verde|CV|cape-verde|cabo verde
KH|Cambodia|CB|cambodia
CM|Cameroon|CM|cameroon
CA|Canada|CA|canada
KY|Cayman Islands|CJ|cayman-islands
CF|Central African Republic|CT|central-african-republic
TD|Chad|CD|chad
CL|Chile|CI|chile
CN|China|CH|china|people's republic of china;mainland china
CO|Colombia|CO|colombia
KM|Comoros|CN|comoros
CG|Republic of the Congo|CF|congo|congo;congo-brazzaville
CD|Democratic Republic of the Congo|CG|democratic-republic-of-the-congo|dr congo;drc;congo-kinshasa
CR|Costa Rica|CS|costa-rica
CI|Côte d'Ivoire|IV|cote-d-ivoire|cote d'ivoire;ivory coast
HR|Croatia|HR|croatia
CU|Cuba|CU|cuba
CW|Curaçao|UC|curacao|curacao
CY|Cyprus|CY|cyprus
CZ|Czech Republic|EZ|czech-republic|czechia
DK|Denmark|DA|denmark
DJ|Djibouti|DJ|djibouti
DM|Dominica|DO|dominica
DO|Dominican Republic|DR|dominican-republic
EC|Ecuador|EC|ecuador
EG|Egypt|EG|egypt
SV|El Salvador|ES|el-salvador
GQ|Equatorial Guinea|EK|equatorial-guinea
ER|Eritrea|ER|eritrea
EE|Estonia|EN|estonia
SZ|Eswatini|WZ|eswatini|swaziland
ET|Ethiopia|ET|ethiopia
FK|Falkland Islands|FK|falkland-islands|falklands
FJ|Fiji|FJ|fiji
FI|Finland|FI|finland
FR|France|FR|france
GF|French Guiana|FG|french-guiana
PF|French Polynesia|FP|french-polynesia|tahiti
GA|Gabon|GB|gabon
GM|The Gambia|GA|the-gambia|gambia
GE|Georgia|GG|georgia
DE|Germany|GM|germany|deutschland
GH|Ghana|GH|ghana
GI|Gibraltar|GI|gibraltar
GR|Greece|GR|greece
GD|Grenada|GJ|grenada
GP|Guadeloupe|GP|guadeloupe
GT|Guatemala|GT|guatemala
GN|Guinea|GV|guinea
GW|Guinea-Bissau|PU|guinea-bissau
GY|Guyana|GY|guyana
HT|Haiti|HA|haiti
HN|Honduras|HO|honduras
HK|Hong Kong|HK|hong-kong
HU|Hungary|HU|hungary
IS|Iceland|IC|iceland
IN|India|IN|india
ID|Indonesia|ID|indonesia|bali
IR|Iran|IR|iran
IQ|Iraq|IZ|iraq
IE|Ireland|EI|ireland|republic of ireland
IL|Israel|IS|israel
IT|Italy|IT|italy|italia
JM|Jamaica|JM|jamaica
JP|Japan|JA|japan
JO|Jordan|JO|jordan
KZ|Kazakhstan|KZ|kazakhstan
KE|Kenya|KE|kenya
KI|Kiribati|KR|kiribati
XK|Kosovo|KV|kosovo
KW|Kuwait|KU|kuwait
KG|Kyrgyzstan|KG|kyrgyzstan
LA|Laos|LA|laos
LV|Latvia|LG|latvia
LB|Lebanon|LE|lebanon
LS|Lesotho|LT|lesotho
LR|Liberia|LI|liberia
LY|Libya|LY|libya
LI|Liechtenstein|LS|liechtenstein
LT|Lithuania|LH|lithuania
LU|Luxembourg|LU|luxembourg
MO|Macao|MC|macao|macau
MG|Madagascar|MA|madagascar
MW|Malawi|MI|malawi
MY|Malaysia|MY|malaysia
MV|Maldives|MV|maldives
ML|Mali|ML|mali
MT|Malta|MT|malta
MH|Marshall Islands|RM|marshall-islands
MQ|Martinique|MB|martinique
MR|Mauritania|MR|mauritania
MU|Mauritius|MP|mauritius
YT|Mayotte|MF|mayotte
MX|Mexico|MX|mexico|méxico
FM|Micronesia|FM|federated-states-of-micronesia|federated states of micronesia
MD|Moldova|MD|moldova
MC|Monaco|MN|monaco
MN|Mongolia|MG|mongolia
ME|Montenegro|MJ|montenegro
MS|Montserrat|MH|montserrat
MA|Morocco|MO|morocco
MZ|Mozambique|MZ|mozambique
MM|Myanmar|BM|myanmar|burma
NA|Namibia|WA|namibia
NR|Nauru|NR|nauru
NP|Nepal|NP|nepal
NL|Netherlands|NL|netherlands|holland;the netherlands
NC|New Caledonia|NC|new-caledonia
NZ|New Zealand|NZ|new-zealand|aotearoa
NI|Nicaragua|NU|nicaragua
NE|Niger|NG|niger
NG|Nigeria|NI|nigeria
KP|North Korea|KN|north-korea|korea, north;dprk
MK|North Macedonia|MK|north-macedonia|macedonia
NO|Norway|NO|norway
OM|Oman|MU|oman
PK|Pakistan|PK|pakistan
PW|Palau|PS|palau
PS|The Occupied Palestinian Territories|WE|the-occupied-palestinian-territories|palestine;west bank;gaza
PA|Panama|PM|panama
PG|Papua New Guinea|PP|papua-new-guinea
PY|Paraguay|PA|paraguay
PE|Peru|PE|peru
PH|Philippines|RP|philippines|the philippines
PL|Poland|PL|poland
PT|Portugal|PO|portugal|azores;madeira
QA|Qatar|QA|qatar
RE|Réunion|RE|reunion|reunion
RO|Romania|RO|romania
RU|Russia|RS|russia|russian federation
RW|Rwanda|RW|rwanda
KN|St Kitts and Nevis|SC|st-kitts-and-nevis|saint kitts and nevis
LC|St Lucia|ST|st-lucia|saint lucia
VC|St Vincent and the Grenadines|VC|st-vincent-and-the-grenadines|saint vincent and the grenadines
WS|Samoa|WS|samoa
SM|San Marino|SM|san-marino
ST|Sao Tome and Principe|TP|sao-tome-and-principe|são tomé and príncipe
SA|Saudi Arabia|SA|saudi-arabia
SN|Senegal|SG|senegal
RS|Serbia|RI|serbia
SC|Seychelles|SE|seychelles
SL|Sierra Leone|SL|sierra-leone
SG|Singapore|SN|singapore
SX|Sint Maarten|NN|st-maarten|st maarten;saint martin
SK|Slovakia|LO|slovakia
SI|Slovenia|SI|slovenia
SB|Solomon Islands|BP|solomon-islands
SO|Somalia|SO|somalia
ZA|South Africa|SF|south-africa
KR|South Korea|KS|south-korea|korea;korea, south;republic of korea
SS|South Sudan|OD|south-sudan
ES|Spain|SP|spain|españa;canary islands;balearic islands
LK|Sri Lanka|CE|sri-lanka
SD|Sudan|SU|sudan
SR|Suriname|NS|suriname
SE|Sweden|SW|sweden
CH|Switzerland|SZ|switzerland
SY|Syria|SY|syria
TW|Taiwan|TW|taiwan
TJ|Tajikistan|TI|tajikistan
TZ|Tanzania|TZ|tanzania|zanzibar
TH|Thailand|TH|thailand
TL|Timor-Leste|TT|timor-leste|east timor
TG|Togo|TO|togo
TO|Tonga|TN|tonga
TT|Trinidad and Tobago|TD|trinidad-and-tobago|trinidad
TN|Tunisia|TS|tunisia
TR|Turkey|TU|turkey|türkiye;turkiye
TM|Turkmenistan|TX|turkmenistan
TC|Turks and Caicos Islands|TK|turks-and-caicos-islands
TV|Tuvalu|TV|tuvalu
UG|Uganda|UG|uganda
UA|Ukraine|UP|ukraine
AE|United Arab Emirates|AE|united-arab-emirates|uae;dubai;abu dhabi
GB|United Kingdom|UK|-|uk;great britain;britain;england;scotland;wales;northern ireland
US|United States|US|usa|usa;united states of america;america;us
UY|Uruguay|UY|uruguay
UZ|Uzbekistan|UZ|uzbekistan
VU|Vanuatu|NH|vanuatu
VA|Vatican City|VT|-|holy see;vatican
VE|Venezuela|VE|venezuela
VN|Vietnam|VM|vietnam|viet nam
EH|Western Sahara|WI|western-sahara
YE|Yemen|YM|yemen
ZM|Zambia|ZA|zambia
ZW|Zimbabwe|ZI|zimbabwe
`;

export interface Country {
  iso2: string;
  name: string;
  /** The State Department's tag for the country, or null where it publishes none. */
  stateCode: string | null;
  /** The GOV.UK foreign travel advice slug, or null where the FCDO publishes none (the UK itself). */
  fcdoSlug: string | null;
  aliases: string[];
}

/** Lower case, accents and punctuation removed: how names are compared. */
export const normaliseName = (value: string) =>
  value
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .replace(/^the /, "")
    .trim();

export const countries: readonly Country[] = table
  .trim()
  .split("\n")
  .map((line) => {
    const [iso2 = "", name = "", state = "-", slug = "-", aliases = ""] = line.split("|");
    return {
      iso2,
      name,
      stateCode: state === "-" ? null : state,
      fcdoSlug: slug === "-" ? null : slug,
      aliases: aliases ? aliases.split(";") : [],
    };
  });

const byIso = new Map(countries.map((country) => [country.iso2, country]));
const byName = new Map<string, Country>();
for (const country of countries) {
  for (const name of [country.name, ...country.aliases]) {
    const key = normaliseName(name);
    if (!byName.has(key)) byName.set(key, country);
  }
}

/** A country from an ISO 3166-1 alpha-2 code ("JP", "gb") or a name ("Japan", "Türkiye", "Ivory Coast"). */
export function findCountry(query: string): Country | undefined {
  const text = query.trim();
  if (/^[A-Za-z]{2}$/.test(text)) {
    const code = text.toUpperCase();
    return byIso.get(code === "UK" ? "GB" : code);
  }
  return byName.get(normaliseName(text));
}

const mentionPatterns = countries.flatMap((country) =>
  [country.name, ...country.aliases]
    .filter((name) => name.length > 3)
    .map((name) => ({ country, pattern: new RegExp(`\\b${normaliseName(name).replace(/ /g, "\\s+")}\\b`) })),
);

/** The first country named in free text ("Is Japan safe in May?"), by its name or a common alias. */
export function findCountryIn(text: string): Country | undefined {
  const normalised = normaliseName(text);
  return mentionPatterns.find(({ pattern }) => pattern.test(normalised))?.country;
}
