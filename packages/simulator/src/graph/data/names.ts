// Word lists for generated tenants. Unicode on purpose: clients must round-trip it.

export const GIVEN_NAMES = [
  "Ana", "José", "Zoë", "Łukasz", "Søren", "Đorđe", "Ngô", "Aarav", "Chloé", "Björn", "Mia", "Noah", "Olivia",
  "Liam", "Emma", "Mateo", "Ingrid", "Kofi", "Aiko", "Yusuf", "Fatma", "Siobhán", "Nuño", "Renée", "Jürgen",
  "Saoirse", "Oğuz", "Małgorzata", "Thảo", "Иван", "Ελένη", "美咲", "민준", "Priya", "Tomás", "Ægir", "Zeynep",
  "Grace", "Ethan", "Léa", "Lucía", "Hamza", "Nora", "Elif", "Dmitri", "Camille", "Ravi", "Hana", "Omar",
] as const;

export const SURNAMES = [
  "Pérez", "Müller", "O'Brien", "Nguyễn", "Kowalski", "Jørgensen", "Smith", "Johnson", "García", "Rossi",
  "Dubois", "Yılmaz", "Öztürk", "Ivanova", "Papadopoulos", "Tanaka", "김", "李", "Sharma", "Okafor", "Mensah",
  "Andersson", "van der Berg", "De la Cruz", "Schäfer", "Ferreira", "Novák", "Horváth", "Björk", "Ó Súilleabháin",
  "Brown", "Wilson", "Martin", "Lee", "Walker", "Hall", "Young", "King", "Wright", "Lopez", "Hill", "Green",
] as const;

export const DEPARTMENTS = [
  "Finance", "Engineering", "Sales", "Marketing", "Human Resources", "Legal", "IT", "Operations", "Support",
  "Research & Development", "Procurement", "Facilities",
] as const;

export const JOB_TITLES = [
  "Accountant", "Software Engineer", "Account Executive", "Marketing Manager", "HR Partner", "Counsel",
  "Systems Administrator", "Operations Analyst", "Support Specialist", "Researcher", "Buyer", "Director",
  "Vice President", "Intern", "Product Manager", "Data Scientist",
] as const;

export const CITIES: readonly { city: string; country: string; usage: string; lang: string }[] = [
  { city: "Seattle", country: "United States", usage: "US", lang: "en-US" },
  { city: "München", country: "Germany", usage: "DE", lang: "de-DE" },
  { city: "São Paulo", country: "Brazil", usage: "BR", lang: "pt-BR" },
  { city: "København", country: "Denmark", usage: "DK", lang: "da-DK" },
  { city: "Kraków", country: "Poland", usage: "PL", lang: "pl-PL" },
  { city: "東京", country: "Japan", usage: "JP", lang: "ja-JP" },
  { city: "Dublin", country: "Ireland", usage: "IE", lang: "en-IE" },
  { city: "Zürich", country: "Switzerland", usage: "CH", lang: "de-CH" },
  { city: "Lagos", country: "Nigeria", usage: "NG", lang: "en-NG" },
  { city: "Bengaluru", country: "India", usage: "IN", lang: "en-IN" },
];

export const GUEST_DOMAINS = ["fabrikam.com", "contoso.org", "gmail.com", "outlook.com", "northwind.example", "adatum.io"] as const;

export const GROUP_WORDS = [
  "Finance", "Engineering", "Sales EMEA", "Sales Americas", "Marketing", "HR", "Legal", "IT Ops", "Helpdesk",
  "Project Ñandú", "Équipe Paris", "Team Zürich", "Café Club", "All Staff", "Contractors", "Security Champions",
  "Data Platform", "Mobile", "Executives", "Interns 2025", "Privileged Admins", "On-call", "Design", "Procurement",
] as const;

export const APP_WORDS = [
  "HR sync", "Expense Portal", "CI deploy", "Backup Agent", "Wiki", "Payroll Connector", "Ticketing", "Analytics",
  "Mobile App", "Partner API", "Inventory", "Zeiterfassung", "Café Menü", "Data Export", "SSO Gateway", "Legacy CRM",
] as const;

export const SKU_IDS = [
  "6fd2c87f-b296-42f0-b197-1e91e994b900", // ENTERPRISEPACK (E3)
  "c7df2760-2c81-4ef7-b578-5b5392b571df", // ENTERPRISEPREMIUM (E5)
  "078d2b04-f1bd-4111-bbd4-b4b1b354cef4", // AAD_PREMIUM (P1)
  "84a661c4-e949-4bd2-a560-ed7766fcaf2b", // AAD_PREMIUM_P2
] as const;

/** ASCII-only lower-case form for UPNs and mail nicknames ("Łukasz" -> "lukasz", "李" -> "x"). */
export function asciiSlug(text: string): string {
  let slug = slugCache.get(text);
  if (slug === undefined) {
    slug = foldAscii(text);
    if (slugCache.size < 10_000) slugCache.set(text, slug);
  }
  return slug;
}

const slugCache = new Map<string, string>();

function foldAscii(text: string): string {
  const folded = text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[łŁ]/g, "l")
    .replace(/[đĐ]/g, "d")
    .replace(/[øØ]/g, "o")
    .replace(/[æÆ]/g, "ae")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
  return folded.length > 0 ? folded : "x";
}
