/** Word lists the synthetic instance draws names, titles, zones and browsers from. */

export const FIRST_NAMES = [
  'Ada',
  'Alan',
  'Amara',
  'Ana',
  'Bjorn',
  'Carlos',
  'Chen',
  'Dara',
  'Diego',
  'Elena',
  'Emeka',
  'Farah',
  'Grace',
  'Hana',
  'Hiro',
  'Ines',
  'Ivan',
  'Jamal',
  'Julia',
  'Kai',
  'Karin',
  'Leonard',
  'Lina',
  'Luca',
  'Maya',
  'Mei',
  'Nadia',
  'Niko',
  'Omar',
  'Priya',
  'Rafael',
  'Rosa',
  'Sam',
  'Sofia',
  'Tariq',
  'Tomas',
  'Uma',
  'Vera',
  'Wei',
  'Yara',
  'Zoe',
  'Noah',
] as const;

export const LAST_NAMES = [
  'Abara',
  'Berg',
  'Castillo',
  'Dubois',
  'Euler',
  'Fischer',
  'Garcia',
  'Hopper',
  'Ito',
  'Jensen',
  'Kaur',
  'Lovelace',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Quinn',
  'Rossi',
  'Santos',
  'Tanaka',
  'Usman',
  'Varga',
  'Walsh',
  'Xu',
  'Yilmaz',
  'Zhang',
  'Novak',
  'Lindqvist',
  'Mensah',
  'Haddad',
] as const;

/** Home zones of users, with relative weights (most of the company sits in a few offices). */
export const TIME_ZONES: readonly { zone: string; weight: number }[] = [
  { zone: 'America/New_York', weight: 8 },
  { zone: 'America/Chicago', weight: 4 },
  { zone: 'America/Denver', weight: 2 },
  { zone: 'America/Los_Angeles', weight: 5 },
  { zone: 'America/Sao_Paulo', weight: 1 },
  { zone: 'Europe/London', weight: 4 },
  { zone: 'Europe/Berlin', weight: 4 },
  { zone: 'Asia/Kolkata', weight: 2 },
  { zone: 'Asia/Tokyo', weight: 1 },
  { zone: 'Australia/Sydney', weight: 1 },
];

export const DEPARTMENTS = [
  'Sales',
  'Marketing',
  'Finance',
  'Operations',
  'Support',
  'Engineering',
  'People',
  'Supply Chain',
  'Executive',
  'Product',
  'Legal',
  'Customer Success',
  'Procurement',
  'Partnerships',
  'Security',
] as const;

export const PAGE_KINDS = [
  'Overview',
  'Weekly Review',
  'KPIs',
  'Forecast',
  'Deep Dive',
  'Scorecard',
] as const;

/** Domo's built-in pages carry negative ids (domo-api-notes §2.5). */
export const SPECIAL_PAGES: readonly { pageId: string; title: string }[] = [
  { pageId: '-100000', title: 'Overview' },
  { pageId: '-100001', title: 'Alerts' },
  { pageId: '-100002', title: 'Shared' },
  { pageId: '-100003', title: 'Favorites' },
];

export const CARD_METRICS = [
  'Revenue',
  'Pipeline',
  'Bookings',
  'Churn',
  'Active Users',
  'Gross Margin',
  'Tickets',
  'NPS',
  'Headcount',
  'Inventory',
  'Lead Conversion',
  'Cash Flow',
  'Ad Spend',
  'Win Rate',
  'Backlog',
  'On-time Delivery',
  'Renewals',
  'Average Deal Size',
  'Cost per Lead',
  'Utilisation',
] as const;

export const CARD_DIMENSIONS = [
  'by Region',
  'by Month',
  'by Product',
  'by Channel',
  'by Segment',
  'by Rep',
  'vs Target',
  'YoY',
  'by Country',
  'by Team',
  'Trend',
  'by Week',
] as const;

export const DATA_SOURCE_SUBJECTS = [
  'Salesforce Opportunities',
  'Zendesk Tickets',
  'NetSuite GL',
  'Google Ads',
  'Workday Headcount',
  'Snowflake Orders',
  'HubSpot Leads',
  'Jira Issues',
  'Stripe Payments',
  'SAP Inventory',
] as const;

export const DESKTOP_BROWSERS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36 Edg/128.0.0.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0',
] as const;

export const MOBILE_BROWSERS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Domo/5.12',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Domo/5.12',
] as const;

/** Clients a password-guessing script would present. */
export const SCRIPTED_BROWSERS = [
  'python-requests/2.32.3',
  'curl/8.9.1',
  'Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:91.0) Gecko/20100101 Firefox/91.0',
] as const;
