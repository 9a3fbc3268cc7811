#!/usr/bin/env python3
"""Generate the country, demonym and region entity lexicons from Debian's iso-codes.

Usage: tools/gen_countries.py [--iso-dir DIR] [--out-dir DIR]
Defaults: /usr/share/iso-codes/json and lexicons/entities/ of this checkout.

Writes (overwrites) three lists:
  countries.lst  GPE: every ISO 3166-1 country/territory.  The iso-codes
                 `name`, `official_name` and `common_name` become aliases of
                 one canonical name, the short English name used in news
                 (NEWS_NAMES below: Russia, not Russian Federation).
  demonyms.lst   NORP: nationality adjectives and people nouns (Tajik, Tajiks)
                 with canonical = the country's canonical name, plus regional,
                 ethnic and religious group words (Central Asian, Muslim).
                 iso-codes has no demonyms: the tables are kept here by hand.
  regions.lst    GPE: first-level subdivisions (ISO 3166-2) of KZ, KG, TJ, UZ,
                 TM and RU with English names and the usual English variants
                 (Moscow region / Moscow Oblast), plus a few other regions that
                 migration news mentions.  iso-codes gives local transliterated
                 names ("Moskovskaja oblast'"), so the English forms come from
                 REGIONS below; iso-codes supplies and validates the codes.

The output is committed, so running newsmine needs no iso-codes.  The script
only uses the Python 3 standard library and is deterministic: the same input
gives byte-identical output (no dates, sorted entries).
"""
import argparse
import json
import os
import subprocess
import sys
import unicodedata

SCRIPT = 'tools/gen_countries.py'

# ---------------------------------------------------------------------------
# Countries: hand-maintained news names.
# alpha-2 -> (canonical, [extra aliases]).  Countries not listed use
# common_name, else name.  Extra aliases are added to the iso-codes names.
# ---------------------------------------------------------------------------
NEWS_NAMES = {
    'AE': ('United Arab Emirates', ['UAE', 'U.A.E.']),
    'AX': ('Åland Islands', []),
    'BA': ('Bosnia and Herzegovina', ['Bosnia-Herzegovina', 'Bosnia & Herzegovina', 'Bosnia']),
    'BL': ('Saint Barthélemy', ['St. Barthélemy', 'St Barts', 'St. Barts']),
    'BN': ('Brunei', ['Brunei Darussalam']),
    'BO': ('Bolivia', []),
    'BQ': ('Caribbean Netherlands', ['Bonaire', 'Sint Eustatius', 'Saba']),
    'BS': ('Bahamas', []),
    'BY': ('Belarus', ['Belorussia', 'Byelorussia']),
    'CC': ('Cocos Islands', ['Keeling Islands']),
    'CD': ('Democratic Republic of the Congo', ['DR Congo', 'D.R. Congo', 'DRC',
                                                'Democratic Republic of Congo', 'Congo-Kinshasa']),
    'CG': ('Republic of the Congo', ['Republic of Congo', 'Congo-Brazzaville']),
    'CI': ("Côte d'Ivoire", ['Ivory Coast']),
    'CN': ('China', ['PRC']),
    'CV': ('Cabo Verde', ['Cape Verde']),
    'CZ': ('Czechia', ['Czech Republic']),
    'FK': ('Falkland Islands', ['Falklands', 'Malvinas']),
    'FM': ('Micronesia', ['Federated States of Micronesia']),
    'GB': ('United Kingdom', ['UK', 'U.K.', 'Britain', 'Great Britain']),
    'HK': ('Hong Kong', ['Hong Kong SAR']),
    'IR': ('Iran', []),
    'KG': ('Kyrgyzstan', ['Kirghizia', 'Kirgizia', 'Kyrgyzia']),
    'KN': ('Saint Kitts and Nevis', ['St. Kitts and Nevis', 'St Kitts and Nevis']),
    'KP': ('North Korea', ['DPRK', "Democratic People's Republic of Korea"]),
    'KR': ('South Korea', ['Republic of Korea', 'Korea']),
    'KZ': ('Kazakhstan', ['Kazakstan', 'Qazaqstan']),
    'LA': ('Laos', ['Lao PDR']),
    'LC': ('Saint Lucia', ['St. Lucia', 'St Lucia']),
    'MD': ('Moldova', []),
    'MF': ('Saint Martin', ['St. Martin']),
    'MK': ('North Macedonia', ['Macedonia']),
    'MM': ('Myanmar', ['Burma', 'Republic of the Union of Myanmar']),
    'MO': ('Macau', ['Macao']),
    'NL': ('Netherlands', ['Holland']),
    'PM': ('Saint Pierre and Miquelon', ['St. Pierre and Miquelon']),
    'PS': ('Palestine', ['State of Palestine']),
    'RU': ('Russia', []),
    'SH': ('Saint Helena', ['St. Helena', 'Saint Helena, Ascension and Tristan da Cunha']),
    'SX': ('Sint Maarten', []),
    'SY': ('Syria', []),
    'SZ': ('Eswatini', ['Swaziland']),
    'TJ': ('Tajikistan', ['Tadjikistan', 'Tadzhikistan']),
    'TL': ('Timor-Leste', ['East Timor']),
    'TM': ('Turkmenistan', ['Turkmenia']),
    'TR': ('Türkiye', ['Turkey', 'Republic of Turkey']),
    'TW': ('Taiwan', []),
    'TZ': ('Tanzania', []),
    'US': ('United States', ['USA', 'U.S.', 'US', 'U.S.A.', 'America']),
    'VA': ('Vatican City', ['Holy See', 'Vatican', 'Vatican City State']),
    'VC': ('Saint Vincent and the Grenadines', ['St. Vincent and the Grenadines',
                                                'St Vincent and the Grenadines']),
    'VE': ('Venezuela', []),
    'VG': ('British Virgin Islands', []),
    'VI': ('U.S. Virgin Islands', ['US Virgin Islands', 'United States Virgin Islands']),
    'VN': ('Vietnam', ['Socialist Republic of Vietnam']),
}

# Surfaces never written: iso-codes forms that do not occur in running text
# or that would match something else.
DROP_SURFACES = {
    'Taiwan, Province of China',
    'Bonaire, Sint Eustatius and Saba',
}

# Types other than GPE.
TYPE_OVERRIDE = {'AQ': 'LOC'}

# Wikidata ids, only where they are certain.
WIKIDATA = {
    'AD': 'Q228', 'AE': 'Q878', 'AF': 'Q889', 'AL': 'Q222', 'AM': 'Q399', 'AR': 'Q414',
    'AT': 'Q40', 'AU': 'Q408', 'AZ': 'Q227', 'BA': 'Q225', 'BD': 'Q902', 'BE': 'Q31',
    'BG': 'Q219', 'BR': 'Q155', 'BY': 'Q184', 'CA': 'Q16', 'CH': 'Q39', 'CN': 'Q148',
    'CY': 'Q229', 'CZ': 'Q213', 'DE': 'Q183', 'DK': 'Q35', 'EE': 'Q191', 'EG': 'Q79',
    'ES': 'Q29', 'FI': 'Q33', 'FR': 'Q142', 'GB': 'Q145', 'GE': 'Q230', 'GR': 'Q41',
    'HR': 'Q224', 'HU': 'Q28', 'IE': 'Q27', 'IL': 'Q801', 'IN': 'Q668', 'IQ': 'Q796',
    'IR': 'Q794', 'IS': 'Q189', 'IT': 'Q38', 'JP': 'Q17', 'KG': 'Q813', 'KP': 'Q423',
    'KR': 'Q884', 'KZ': 'Q232', 'LI': 'Q347', 'LT': 'Q37', 'LU': 'Q32', 'LV': 'Q211',
    'MD': 'Q217', 'ME': 'Q236', 'MK': 'Q221', 'MN': 'Q711', 'MT': 'Q233', 'MX': 'Q96',
    'NL': 'Q55', 'NO': 'Q20', 'PK': 'Q843', 'PL': 'Q36', 'PT': 'Q45', 'RO': 'Q218',
    'RS': 'Q403', 'RU': 'Q159', 'SA': 'Q851', 'SE': 'Q34', 'SI': 'Q215', 'SK': 'Q214',
    'SY': 'Q858', 'TJ': 'Q863', 'TM': 'Q874', 'TR': 'Q43', 'UA': 'Q212', 'US': 'Q30',
    'UZ': 'Q265', 'VN': 'Q881', 'YE': 'Q805',
}

# Entities that are not ISO 3166-1 countries but are named like countries in
# the news.  (canonical, iso or '', type, [aliases], country or '').
# iso codes other than XK are checked against iso_3166-2 / iso_3166-3.
EXTRA_COUNTRIES = [
    ('Kosovo', 'XK', 'GPE', ['Republic of Kosovo'], ''),   # XK: user-assigned code, not in ISO 3166-1
    ('Abkhazia', 'GE-AB', 'GPE', [], ''),
    ('South Ossetia', '', 'GPE', ['Tskhinvali Region'], ''),
    ('Transnistria', '', 'GPE', ['Pridnestrovie', 'Transdniestria', 'Trans-Dniester'], ''),
    ('Northern Cyprus', '', 'GPE', ['Turkish Republic of Northern Cyprus', 'TRNC'], ''),
    ('Somaliland', '', 'GPE', [], ''),
    ('England', 'GB-ENG', 'GPE', [], 'United Kingdom'),
    ('Scotland', 'GB-SCT', 'GPE', [], 'United Kingdom'),
    ('Wales', 'GB-WLS', 'GPE', [], 'United Kingdom'),
    ('Northern Ireland', 'GB-NIR', 'GPE', [], 'United Kingdom'),
    ('Soviet Union', 'SU', 'GPE', ['USSR', 'U.S.S.R.', 'Union of Soviet Socialist Republics'], ''),
    ('Yugoslavia', 'YU', 'GPE', [], ''),
    ('Czechoslovakia', 'CS', 'GPE', [], ''),
]

# ---------------------------------------------------------------------------
# Demonyms: alpha-2 -> nationality adjectives / people nouns (singular and
# plural).  All map to the country's canonical name.  Words that are mainly
# languages (English, Arabic) or ambiguous (Roma, Central African as a region)
# are left out.
# ---------------------------------------------------------------------------
DEMONYMS = {
    # Central Asia, Russia and the rest of the CIS / Caucasus
    'KZ': ['Kazakh', 'Kazakhs', 'Kazakhstani', 'Kazakhstanis'],
    'KG': ['Kyrgyz', 'Kirghiz', 'Kirgiz', 'Kyrgyzstani', 'Kyrgyzstanis'],
    'TJ': ['Tajik', 'Tajiks', 'Tadjik', 'Tadjiks', 'Tadzhik', 'Tadzhiks', 'Tajikistani', 'Tajikistanis'],
    'UZ': ['Uzbek', 'Uzbeks', 'Uzbekistani', 'Uzbekistanis'],
    'TM': ['Turkmen', 'Turkmens', 'Turkmenistani', 'Turkmenistanis'],
    'RU': ['Russian', 'Russians'],
    'BY': ['Belarusian', 'Belarusians', 'Belarussian', 'Belarussians', 'Byelorussian', 'Belorussian'],
    'UA': ['Ukrainian', 'Ukrainians'],
    'MD': ['Moldovan', 'Moldovans'],
    'AM': ['Armenian', 'Armenians'],
    'AZ': ['Azerbaijani', 'Azerbaijanis', 'Azeri', 'Azeris'],
    'GE': ['Georgian', 'Georgians'],
    # Europe
    'LT': ['Lithuanian', 'Lithuanians'],
    'LV': ['Latvian', 'Latvians'],
    'EE': ['Estonian', 'Estonians'],
    'PL': ['Polish', 'Pole', 'Poles'],
    'DE': ['German', 'Germans'],
    'FR': ['French', 'Frenchman', 'Frenchmen', 'Frenchwoman'],
    'GB': ['British', 'Briton', 'Britons', 'Brit', 'Brits'],
    'IE': ['Irish', 'Irishman', 'Irishmen'],
    'IT': ['Italian', 'Italians'],
    'ES': ['Spanish', 'Spaniard', 'Spaniards'],
    'PT': ['Portuguese'],
    'NL': ['Dutch', 'Dutchman', 'Dutchmen'],
    'BE': ['Belgian', 'Belgians'],
    'LU': ['Luxembourgish', 'Luxembourger', 'Luxembourgers'],
    'CH': ['Swiss'],
    'AT': ['Austrian', 'Austrians'],
    'LI': ['Liechtensteiner', 'Liechtensteiners'],
    'CZ': ['Czech', 'Czechs'],
    'SK': ['Slovak', 'Slovaks', 'Slovakian', 'Slovakians'],
    'HU': ['Hungarian', 'Hungarians'],
    'RO': ['Romanian', 'Romanians'],
    'BG': ['Bulgarian', 'Bulgarians'],
    'GR': ['Greek', 'Greeks'],
    'CY': ['Cypriot', 'Cypriots'],
    'MT': ['Maltese'],
    'SI': ['Slovenian', 'Slovenians', 'Slovene', 'Slovenes'],
    'HR': ['Croatian', 'Croatians', 'Croat', 'Croats'],
    'RS': ['Serbian', 'Serbians', 'Serb', 'Serbs'],
    'BA': ['Bosnian', 'Bosnians'],
    'ME': ['Montenegrin', 'Montenegrins'],
    'MK': ['Macedonian', 'Macedonians', 'North Macedonian', 'North Macedonians'],
    'AL': ['Albanian', 'Albanians'],
    'FI': ['Finnish', 'Finn', 'Finns'],
    'SE': ['Swedish', 'Swede', 'Swedes'],
    'NO': ['Norwegian', 'Norwegians'],
    'DK': ['Danish', 'Dane', 'Danes'],
    'IS': ['Icelandic', 'Icelander', 'Icelanders'],
    'AD': ['Andorran', 'Andorrans'],
    'MC': ['Monegasque', 'Monégasque'],
    'SM': ['Sammarinese'],
    # Middle East, South and East Asia
    'TR': ['Turkish', 'Turk', 'Turks'],
    'AF': ['Afghan', 'Afghans'],
    'PK': ['Pakistani', 'Pakistanis'],
    'IN': ['Indian', 'Indians'],
    'BD': ['Bangladeshi', 'Bangladeshis'],
    'NP': ['Nepali', 'Nepalis', 'Nepalese'],
    'LK': ['Sri Lankan', 'Sri Lankans'],
    'BT': ['Bhutanese'],
    'MV': ['Maldivian', 'Maldivians'],
    'IR': ['Iranian', 'Iranians', 'Persian', 'Persians'],
    'IQ': ['Iraqi', 'Iraqis'],
    'SY': ['Syrian', 'Syrians'],
    'LB': ['Lebanese'],
    'JO': ['Jordanian', 'Jordanians'],
    'IL': ['Israeli', 'Israelis'],
    'PS': ['Palestinian', 'Palestinians'],
    'SA': ['Saudi', 'Saudis', 'Saudi Arabian', 'Saudi Arabians'],
    'AE': ['Emirati', 'Emiratis'],
    'QA': ['Qatari', 'Qataris'],
    'KW': ['Kuwaiti', 'Kuwaitis'],
    'BH': ['Bahraini', 'Bahrainis'],
    'OM': ['Omani', 'Omanis'],
    'YE': ['Yemeni', 'Yemenis'],
    'CN': ['Chinese'],
    'TW': ['Taiwanese'],
    'HK': ['Hong Konger', 'Hong Kongers'],
    'MN': ['Mongolian', 'Mongolians'],
    'JP': ['Japanese'],
    'KR': ['South Korean', 'South Koreans', 'Korean', 'Koreans'],
    'KP': ['North Korean', 'North Koreans'],
    'VN': ['Vietnamese'],
    'TH': ['Thai', 'Thais'],
    'LA': ['Laotian', 'Laotians'],
    'KH': ['Cambodian', 'Cambodians'],
    'MM': ['Burmese'],
    'MY': ['Malaysian', 'Malaysians'],
    'SG': ['Singaporean', 'Singaporeans'],
    'ID': ['Indonesian', 'Indonesians'],
    'PH': ['Filipino', 'Filipinos', 'Filipina', 'Filipinas', 'Philippine'],
    'TL': ['Timorese'],
    'BN': ['Bruneian', 'Bruneians'],
    # Americas
    'US': ['American', 'Americans'],
    'CA': ['Canadian', 'Canadians'],
    'MX': ['Mexican', 'Mexicans'],
    'BR': ['Brazilian', 'Brazilians'],
    'AR': ['Argentine', 'Argentines', 'Argentinian', 'Argentinians'],
    'CL': ['Chilean', 'Chileans'],
    'CO': ['Colombian', 'Colombians'],
    'PE': ['Peruvian', 'Peruvians'],
    'VE': ['Venezuelan', 'Venezuelans'],
    'BO': ['Bolivian', 'Bolivians'],
    'EC': ['Ecuadorian', 'Ecuadorians'],
    'PY': ['Paraguayan', 'Paraguayans'],
    'UY': ['Uruguayan', 'Uruguayans'],
    'CU': ['Cuban', 'Cubans'],
    'HT': ['Haitian', 'Haitians'],
    'DO': ['Dominican', 'Dominicans'],
    'JM': ['Jamaican', 'Jamaicans'],
    'GT': ['Guatemalan', 'Guatemalans'],
    'HN': ['Honduran', 'Hondurans'],
    'SV': ['Salvadoran', 'Salvadorans', 'Salvadorian'],
    'NI': ['Nicaraguan', 'Nicaraguans'],
    'CR': ['Costa Rican', 'Costa Ricans'],
    'PA': ['Panamanian', 'Panamanians'],
    'TT': ['Trinidadian', 'Trinidadians'],
    # Africa
    'EG': ['Egyptian', 'Egyptians'],
    'LY': ['Libyan', 'Libyans'],
    'TN': ['Tunisian', 'Tunisians'],
    'DZ': ['Algerian', 'Algerians'],
    'MA': ['Moroccan', 'Moroccans'],
    'MR': ['Mauritanian', 'Mauritanians'],
    'SD': ['Sudanese'],
    'SS': ['South Sudanese'],
    'ET': ['Ethiopian', 'Ethiopians'],
    'ER': ['Eritrean', 'Eritreans'],
    'SO': ['Somali', 'Somalis', 'Somalian', 'Somalians'],
    'DJ': ['Djiboutian', 'Djiboutians'],
    'KE': ['Kenyan', 'Kenyans'],
    'UG': ['Ugandan', 'Ugandans'],
    'TZ': ['Tanzanian', 'Tanzanians'],
    'RW': ['Rwandan', 'Rwandans'],
    'BI': ['Burundian', 'Burundians'],
    'NG': ['Nigerian', 'Nigerians'],
    'NE': ['Nigerien', 'Nigeriens'],
    'GH': ['Ghanaian', 'Ghanaians'],
    'SN': ['Senegalese'],
    'CI': ['Ivorian', 'Ivorians'],
    'ML': ['Malian', 'Malians'],
    'BF': ['Burkinabe', 'Burkinabè'],
    'GN': ['Guinean', 'Guineans'],
    'SL': ['Sierra Leonean', 'Sierra Leoneans'],
    'LR': ['Liberian', 'Liberians'],
    'GM': ['Gambian', 'Gambians'],
    'CV': ['Cape Verdean', 'Cape Verdeans'],
    'BJ': ['Beninese'],
    'TG': ['Togolese'],
    'TD': ['Chadian', 'Chadians'],
    'CM': ['Cameroonian', 'Cameroonians'],
    'GA': ['Gabonese'],
    'CD': ['Congolese'],
    'AO': ['Angolan', 'Angolans'],
    'ZA': ['South African', 'South Africans'],
    'ZW': ['Zimbabwean', 'Zimbabweans'],
    'ZM': ['Zambian', 'Zambians'],
    'MZ': ['Mozambican', 'Mozambicans'],
    'MW': ['Malawian', 'Malawians'],
    'NA': ['Namibian', 'Namibians'],
    'MG': ['Malagasy'],
    'MU': ['Mauritian', 'Mauritians'],
    'SC': ['Seychellois'],
    # Oceania
    'AU': ['Australian', 'Australians'],
    'NZ': ['New Zealander', 'New Zealanders'],
    'FJ': ['Fijian', 'Fijians'],
    'PG': ['Papua New Guinean', 'Papua New Guineans'],
}

# Demonyms of the non-ISO entities in EXTRA_COUNTRIES (canonical -> words).
EXTRA_DEMONYMS = {
    'Kosovo': ['Kosovar', 'Kosovars', 'Kosovan', 'Kosovans'],
    'Abkhazia': ['Abkhaz', 'Abkhazian', 'Abkhazians'],
    'South Ossetia': ['South Ossetian', 'South Ossetians'],
    'Scotland': ['Scottish', 'Scot', 'Scots'],
    'Wales': ['Welsh'],
    'Northern Ireland': ['Northern Irish'],
    'Soviet Union': ['Soviet'],
}

# Regional, ethnic, religious and political group words (NORP).
# (surface, canonical).  The gold convention maps a regional adjective to its
# region (Central Asian -> Central Asia, Eastern -> East).
GROUP_NORP = [
    # regions
    ('Central Asian', 'Central Asia'), ('Central Asians', 'Central Asia'),
    ('European', 'Europe'), ('Europeans', 'Europe'),
    ('Asian', 'Asia'), ('Asians', 'Asia'),
    ('African', 'Africa'), ('Africans', 'Africa'),
    ('Eastern', 'East'), ('Western', 'West'), ('Westerner', 'West'), ('Westerners', 'West'),
    ('Eurasian', 'Eurasia'),
    ('Middle Eastern', 'Middle East'),
    ('South Asian', 'South Asia'), ('South Asians', 'South Asia'),
    ('East Asian', 'East Asia'), ('Southeast Asian', 'Southeast Asia'),
    ('Eastern European', 'Eastern Europe'), ('Eastern Europeans', 'Eastern Europe'),
    ('Western European', 'Western Europe'), ('Central European', 'Central Europe'),
    ('Latin American', 'Latin America'), ('Latin Americans', 'Latin America'),
    ('North American', 'North America'), ('South American', 'South America'),
    ('Central American', 'Central America'), ('Central Americans', 'Central America'),
    ('Scandinavian', 'Scandinavia'), ('Scandinavians', 'Scandinavia'),
    ('Nordic', 'Nordic countries'),
    ('Baltic', 'Baltic states'),
    ('Balkan', 'Balkans'),
    ('North Caucasian', 'North Caucasus'),
    ('Siberian', 'Siberia'), ('Siberians', 'Siberia'),
    ('Crimean', 'Crimea'),
    ('Muscovite', 'Moscow'), ('Muscovites', 'Moscow'),
    # peoples of the region without a state of their own (or not only one)
    ('Chechen', 'Chechnya'), ('Chechens', 'Chechnya'),
    ('Dagestani', 'Dagestan'), ('Dagestanis', 'Dagestan'),
    ('Ingush', 'Ingushetia'),
    ('Ossetian', 'Ossetian'), ('Ossetians', 'Ossetian'),
    ('Tatar', 'Tatar'), ('Tatars', 'Tatar'),
    ('Crimean Tatar', 'Crimean Tatar'), ('Crimean Tatars', 'Crimean Tatar'),
    ('Bashkir', 'Bashkir'), ('Bashkirs', 'Bashkir'),
    ('Buryat', 'Buryatia'), ('Buryats', 'Buryatia'),
    ('Yakut', 'Yakutia'), ('Yakuts', 'Yakutia'),
    ('Tuvan', 'Tuva'), ('Tuvans', 'Tuva'),
    ('Kalmyk', 'Kalmykia'), ('Kalmyks', 'Kalmykia'),
    ('Karakalpak', 'Karakalpakstan'), ('Karakalpaks', 'Karakalpakstan'),
    ('Pamiri', 'Pamiri'), ('Pamiris', 'Pamiri'),
    ('Uyghur', 'Uyghur'), ('Uyghurs', 'Uyghur'), ('Uighur', 'Uyghur'), ('Uighurs', 'Uyghur'),
    ('Dungan', 'Dungan'), ('Dungans', 'Dungan'),
    ('Meskhetian Turks', 'Meskhetian Turks'),
    ('Cossack', 'Cossack'), ('Cossacks', 'Cossack'),
    ('Pashtun', 'Pashtun'), ('Pashtuns', 'Pashtun'),
    ('Hazara', 'Hazara'), ('Hazaras', 'Hazara'),
    ('Baloch', 'Baloch'), ('Baluch', 'Baloch'),
    ('Kurdish', 'Kurdish'), ('Kurd', 'Kurdish'), ('Kurds', 'Kurdish'),
    ('Arab', 'Arab'), ('Arabs', 'Arab'),
    ('Slavic', 'Slavic'), ('Slav', 'Slavic'), ('Slavs', 'Slavic'),
    ('Turkic', 'Turkic'),
    # religious groups
    ('Muslim', 'Muslim'), ('Muslims', 'Muslim'),
    ('Islamic', 'Islamic'),
    ('Islamist', 'Islamist'), ('Islamists', 'Islamist'),
    ('Jihadist', 'Jihadist'), ('Jihadists', 'Jihadist'),
    ('Salafi', 'Salafi'), ('Salafis', 'Salafi'),
    ('Sunni', 'Sunni'), ('Sunnis', 'Sunni'),
    ('Shia', 'Shia'), ('Shiite', 'Shia'), ('Shiites', 'Shia'),
    ('Christian', 'Christian'), ('Christians', 'Christian'),
    ('Orthodox', 'Orthodox'),
    ('Catholic', 'Catholic'), ('Catholics', 'Catholic'),
    ('Protestant', 'Protestant'), ('Protestants', 'Protestant'),
    ('Jewish', 'Jewish'), ('Jew', 'Jewish'), ('Jews', 'Jewish'),
    ('Buddhist', 'Buddhist'), ('Buddhists', 'Buddhist'),
    ('Hindu', 'Hindu'), ('Hindus', 'Hindu'),
    # political groups
    ('Republican', 'Republican'), ('Republicans', 'Republican'),
    ('Democrat', 'Democrat'), ('Democrats', 'Democrat'),
    ('Communist', 'Communist'), ('Communists', 'Communist'),
    ('Nazi', 'Nazi'), ('Nazis', 'Nazi'),
]

# ---------------------------------------------------------------------------
# Regions (ISO 3166-2).  Built with the helpers below; each gives
# (code, canonical, [surfaces]).  Oblast-like units get the canonical
# "<Name> region" (the gold writes "Moscow region") and the variants
# "<Name> Region/region/Oblast/oblast/Province/province"; the bare name only
# where it is not also a city (bare=True).  Cities of subdivision rank
# (Moscow, Dushanbe, Bishkek ...) are in the hand-written cities.lst.
# ---------------------------------------------------------------------------
CITY_SUBDIVISIONS = {'RU-MOW', 'RU-SPE', 'KZ-ALA', 'KZ-AST', 'KZ-SHY', 'KG-GB', 'KG-GO',
                     'TJ-DU', 'TM-S', 'UZ-TK', 'UA-40'}
REGION_COUNTRIES = ['KZ', 'KG', 'TJ', 'UZ', 'TM', 'RU']


def oblast(code, *bases, bare=False, extra=()):
    surf = []
    for b in bases:
        surf += [b + ' region', b + ' Region', b + ' Oblast', b + ' oblast',
                 b + ' Province', b + ' province']
        if bare:
            surf.append(b)
    return (code, bases[0] + ' region', surf + list(extra))


def velayat(code, *bases, bare=False, extra=()):
    c, canon, surf = oblast(code, *bases, bare=bare, extra=extra)
    for b in bases:
        surf += [b + ' Velayat', b + ' velayat', b + ' Welayat', b + ' welayat']
    return (c, canon, surf)


def krai(code, *bases, extra=()):
    surf = []
    for b in bases:
        surf += [b + ' Krai', b + ' krai', b + ' Kray', b + ' kray', b + ' Territory',
                 b + ' territory', b + ' region', b + ' Region']
    return (code, bases[0] + ' Krai', surf + list(extra))


def named(code, canonical, *aliases):
    return (code, canonical, [canonical] + list(aliases))


REGIONS = [
    # Kazakhstan (iso-codes 4.15 still has the pre-2023 codes)
    oblast('KZ-AKM', 'Akmola', 'Aqmola'),
    oblast('KZ-AKT', 'Aktobe', 'Aqtobe', 'Aqtöbe', 'Aktyubinsk'),
    oblast('KZ-ALM', 'Almaty'),
    oblast('KZ-ATY', 'Atyrau'),
    oblast('KZ-KAR', 'Karaganda', 'Karagandy', 'Qaraghandy'),
    oblast('KZ-KUS', 'Kostanay', 'Qostanay', 'Kustanay'),
    oblast('KZ-KZY', 'Kyzylorda', 'Qyzylorda'),
    oblast('KZ-MAN', 'Mangystau', 'Mangistau', 'Mangghystau', bare=True),
    oblast('KZ-PAV', 'Pavlodar'),
    oblast('KZ-SEV', 'North Kazakhstan', bare=True),
    oblast('KZ-VOS', 'East Kazakhstan', bare=True),
    oblast('KZ-YUZ', 'Turkestan', 'Turkistan', extra=['South Kazakhstan region', 'South Kazakhstan Region',
                                                      'South Kazakhstan Oblast', 'South Kazakhstan']),
    oblast('KZ-ZAP', 'West Kazakhstan', bare=True),
    oblast('KZ-ZHA', 'Zhambyl', 'Jambyl', bare=True),
    # Kyrgyzstan
    oblast('KG-B', 'Batken'),
    oblast('KG-C', 'Chuy', 'Chui', bare=True),
    oblast('KG-J', 'Jalal-Abad', 'Dzhalal-Abad', 'Djalal-Abad'),
    oblast('KG-N', 'Naryn'),
    oblast('KG-O', 'Osh'),
    oblast('KG-T', 'Talas'),
    oblast('KG-Y', 'Issyk-Kul', 'Issyk Kul', 'Ysyk-Kol', 'Ysyk-Köl', bare=True),
    # Tajikistan
    named('TJ-GB', 'Gorno-Badakhshan', 'Gorno-Badakhshan Autonomous Region',
          'Gorno-Badakhshan Autonomous Oblast', 'Gorno-Badakhshan Autonomous Province',
          'Gorno-Badakhshan region', 'Gorno-Badakhshan Region', 'GBAO', 'Kuhistoni Badakhshon',
          'Kŭhistoni Badakhshon', 'Mountainous Badakhshan'),
    oblast('TJ-KT', 'Khatlon', bare=True),
    oblast('TJ-SU', 'Sughd', 'Sogd', 'Sugd', 'Soghd', bare=True),
    named('TJ-RA', 'Districts of Republican Subordination', 'Districts under Republican Subordination',
          'Region of Republican Subordination', 'Region of Republican Subordination'),
    # Turkmenistan
    velayat('TM-A', 'Ahal', 'Akhal', bare=True),
    velayat('TM-B', 'Balkan'),
    velayat('TM-D', 'Dashoguz', 'Daşoguz', 'Dashhowuz'),
    velayat('TM-L', 'Lebap', bare=True),
    velayat('TM-M', 'Mary'),
    # Uzbekistan
    oblast('UZ-AN', 'Andijan', 'Andijon', 'Andizhan'),
    oblast('UZ-BU', 'Bukhara', 'Buxoro'),
    oblast('UZ-FA', 'Fergana', 'Ferghana', "Farg'ona"),
    oblast('UZ-JI', 'Jizzakh', 'Jizzax', 'Jizakh', 'Djizak'),
    oblast('UZ-NG', 'Namangan'),
    oblast('UZ-NW', 'Navoi', 'Navoiy'),
    oblast('UZ-QA', 'Kashkadarya', 'Qashqadaryo', bare=True),
    named('UZ-QR', 'Karakalpakstan', 'Republic of Karakalpakstan', 'Karakalpakstan Republic',
          "Qoraqalpog'iston", "Qoraqalpog'iston Respublikasi"),
    oblast('UZ-SA', 'Samarkand', 'Samarqand'),
    oblast('UZ-SI', 'Syrdarya', 'Sirdaryo', extra=['Sirdaryo']),
    oblast('UZ-SU', 'Surkhandarya', 'Surxondaryo', bare=True),
    oblast('UZ-TO', 'Tashkent', 'Toshkent'),
    oblast('UZ-XO', 'Khorezm', 'Xorazm', 'Khorazm', bare=True),
    # Russia: republics
    named('RU-AD', 'Adygea', 'Adygeya', 'Republic of Adygea'),
    named('RU-AL', 'Altai Republic', 'Republic of Altai', 'Altay Republic'),
    named('RU-BA', 'Bashkortostan', 'Republic of Bashkortostan', 'Bashkiria'),
    named('RU-BU', 'Buryatia', 'Republic of Buryatia', 'Buryatiya'),
    named('RU-CE', 'Chechnya', 'Chechen Republic', 'Republic of Chechnya'),
    named('RU-CU', 'Chuvashia', 'Chuvash Republic', 'Chuvashiya'),
    named('RU-DA', 'Dagestan', 'Republic of Dagestan', 'Daghestan'),
    named('RU-IN', 'Ingushetia', 'Republic of Ingushetia', 'Ingushetiya'),
    named('RU-KB', 'Kabardino-Balkaria', 'Kabardino-Balkarian Republic', 'Kabardino-Balkar Republic'),
    named('RU-KC', 'Karachay-Cherkessia', 'Karachay-Cherkess Republic', 'Karachayevo-Cherkessia'),
    named('RU-KK', 'Khakassia', 'Republic of Khakassia', 'Khakasia'),
    named('RU-KL', 'Kalmykia', 'Republic of Kalmykia'),
    named('RU-KO', 'Komi Republic', 'Komi', 'Republic of Komi'),
    named('RU-KR', 'Karelia', 'Republic of Karelia'),
    named('RU-ME', 'Mari El', 'Mari El Republic', 'Republic of Mari El'),
    named('RU-MO', 'Mordovia', 'Republic of Mordovia'),
    named('RU-SA', 'Yakutia', 'Sakha Republic', 'Republic of Sakha', 'Sakha'),
    named('RU-SE', 'North Ossetia', 'North Ossetia-Alania', 'Republic of North Ossetia-Alania'),
    named('RU-TA', 'Tatarstan', 'Republic of Tatarstan'),
    named('RU-TY', 'Tuva', 'Tyva', 'Republic of Tuva', 'Tuva Republic'),
    named('RU-UD', 'Udmurtia', 'Udmurt Republic'),
    # Russia: krais
    krai('RU-ALT', 'Altai', 'Altay'),
    krai('RU-KAM', 'Kamchatka'),
    krai('RU-KDA', 'Krasnodar'),
    krai('RU-KHA', 'Khabarovsk'),
    krai('RU-KYA', 'Krasnoyarsk'),
    krai('RU-PER', 'Perm'),
    krai('RU-PRI', 'Primorsky', 'Primorye', extra=['Primorye']),
    krai('RU-STA', 'Stavropol'),
    krai('RU-ZAB', 'Zabaykalsky', 'Zabaikalsky', 'Trans-Baikal', 'Transbaikal'),
    # Russia: autonomous okrugs and the autonomous oblast
    named('RU-CHU', 'Chukotka', 'Chukotka Autonomous Okrug', 'Chukotka Autonomous District'),
    named('RU-KHM', 'Khanty-Mansi Autonomous Okrug', 'Khanty-Mansiysk Autonomous Okrug',
          'Khanty-Mansi Autonomous Okrug-Yugra', 'Khanty-Mansi Autonomous District', 'Yugra'),
    named('RU-NEN', 'Nenets Autonomous Okrug', 'Nenets Autonomous District'),
    named('RU-YAN', 'Yamalo-Nenets Autonomous Okrug', 'Yamal-Nenets Autonomous Okrug',
          'Yamalo-Nenets Autonomous District', 'Yamalo-Nenets'),
    named('RU-YEV', 'Jewish Autonomous Oblast', 'Jewish Autonomous Region'),
    # Russia: oblasts
    oblast('RU-AMU', 'Amur'),
    oblast('RU-ARK', 'Arkhangelsk'),
    oblast('RU-AST', 'Astrakhan'),
    oblast('RU-BEL', 'Belgorod'),
    oblast('RU-BRY', 'Bryansk'),
    oblast('RU-CHE', 'Chelyabinsk'),
    oblast('RU-IRK', 'Irkutsk'),
    oblast('RU-IVA', 'Ivanovo'),
    oblast('RU-KEM', 'Kemerovo', extra=['Kuzbass', 'Kuzbas']),
    oblast('RU-KGD', 'Kaliningrad'),
    oblast('RU-KGN', 'Kurgan'),
    oblast('RU-KIR', 'Kirov'),
    oblast('RU-KLU', 'Kaluga'),
    oblast('RU-KOS', 'Kostroma'),
    oblast('RU-KRS', 'Kursk'),
    oblast('RU-LEN', 'Leningrad'),
    oblast('RU-LIP', 'Lipetsk'),
    oblast('RU-MAG', 'Magadan'),
    oblast('RU-MOS', 'Moscow'),
    oblast('RU-MUR', 'Murmansk'),
    oblast('RU-NGR', 'Novgorod'),
    oblast('RU-NIZ', 'Nizhny Novgorod'),
    oblast('RU-NVS', 'Novosibirsk'),
    oblast('RU-OMS', 'Omsk'),
    oblast('RU-ORE', 'Orenburg'),
    oblast('RU-ORL', 'Oryol', 'Orel'),
    oblast('RU-PNZ', 'Penza'),
    oblast('RU-PSK', 'Pskov'),
    oblast('RU-ROS', 'Rostov'),
    oblast('RU-RYA', 'Ryazan'),
    oblast('RU-SAK', 'Sakhalin'),
    oblast('RU-SAM', 'Samara'),
    oblast('RU-SAR', 'Saratov'),
    oblast('RU-SMO', 'Smolensk'),
    oblast('RU-SVE', 'Sverdlovsk'),
    oblast('RU-TAM', 'Tambov'),
    oblast('RU-TOM', 'Tomsk'),
    oblast('RU-TUL', 'Tula'),
    oblast('RU-TVE', 'Tver'),
    oblast('RU-TYU', 'Tyumen'),
    oblast('RU-ULY', 'Ulyanovsk'),
    oblast('RU-VGG', 'Volgograd'),
    oblast('RU-VLA', 'Vladimir'),
    oblast('RU-VLG', 'Vologda'),
    oblast('RU-VOR', 'Voronezh'),
    oblast('RU-YAR', 'Yaroslavl'),
]

# Regions of other countries that migration news names often (code checked
# against iso_3166-2 when given), and the hand-added Kazakh regions of 2022
# that iso-codes 4.15 does not have yet.  (code, canonical, surfaces, country).
EXTRA_REGIONS = [
    ('', 'Abai region', oblast('', 'Abai', 'Abay')[2], 'Kazakhstan'),
    ('', 'Jetisu region', oblast('', 'Jetisu', 'Zhetysu', 'Zhetisu', bare=True)[2], 'Kazakhstan'),
    ('', 'Ulytau region', oblast('', 'Ulytau', bare=True)[2], 'Kazakhstan'),
    ('UA-43', 'Crimea', ['Crimea', 'Autonomous Republic of Crimea', 'Republic of Crimea'], 'Ukraine'),
    ('UA-14', 'Donetsk region', oblast('', 'Donetsk')[2], 'Ukraine'),
    ('UA-09', 'Luhansk region', oblast('', 'Luhansk', 'Lugansk')[2], 'Ukraine'),
    ('UA-23', 'Zaporizhzhia region', oblast('', 'Zaporizhzhia', 'Zaporizhia', 'Zaporozhye')[2], 'Ukraine'),
    ('UA-65', 'Kherson region', oblast('', 'Kherson')[2], 'Ukraine'),
    ('UA-63', 'Kharkiv region', oblast('', 'Kharkiv', 'Kharkov')[2], 'Ukraine'),
    ('', "Donetsk People's Republic", ["Donetsk People's Republic"], 'Ukraine'),
    ('', "Luhansk People's Republic", ["Luhansk People's Republic", "Lugansk People's Republic"], 'Ukraine'),
    ('CN-XJ', 'Xinjiang', ['Xinjiang', 'Xinjiang Uyghur Autonomous Region',
                           'Xinjiang Uighur Autonomous Region'], 'China'),
]


# ---------------------------------------------------------------------------

def iso_version():
    try:
        v = subprocess.run(['dpkg-query', '-W', '-f=${Version}', 'iso-codes'],
                           capture_output=True, text=True, check=True).stdout.strip()
        return v or 'unknown'
    except (OSError, subprocess.CalledProcessError):
        return 'unknown'


def nfc(s):
    s = unicodedata.normalize('NFC', s)
    # newsmine folds curly quotes to ' before matching
    return s.replace('\u2018', "'").replace('\u2019', "'").replace('\u02bb', "'").replace('\u02bc', "'")


def ascii_fold(s):
    """Latin letters without diacritics (Türkiye -> Turkiye), or None if unchanged."""
    d = unicodedata.normalize('NFD', s)
    f = unicodedata.normalize('NFC', ''.join(ch for ch in d if not unicodedata.combining(ch)))
    return f if f != s else None


def clean_iso_name(s):
    """An iso-codes name as it can occur in running text, or None."""
    s = nfc(s)
    if s.startswith('the '):
        s = s[4:]
    if '(' in s:
        return None                      # "Falkland Islands (Malvinas)": covered by NEWS_NAMES
    if ', ' in s:
        head, tail = s.split(', ', 1)
        # inverted names: "Korea, Republic of" -> "Republic of Korea"
        if tail.endswith(' of') or tail.endswith(' of the'):
            if tail.startswith('The '):
                tail = tail[4:]
            return tail + ' ' + head
        return None                      # "Virgin Islands, British": via NEWS_NAMES
    return s


def attrs(d):
    return ';'.join('%s=%s' % (k, v) for k, v in d if v)


def entry(surface, a):
    for x in [surface] + [v for _, v in a]:
        if '\t' in x or ';' in x or '\n' in x:
            raise ValueError('bad character in %r' % x)
    return '%s\t%s' % (surface, attrs(a))


def header(fname, what, source_files, version, extra_comments=()):
    lines = [
        '# %s - %s' % (fname, what),
        '# GENERATED by %s; do not edit by hand: change the tables in the script' % SCRIPT,
        '# and run `python3 %s` again.' % SCRIPT,
        '# Source: Debian package iso-codes %s (%s)' % (version, ', '.join(source_files)),
        '#   plus the hand-maintained English/news-name tables in %s.' % SCRIPT,
        '# Licence: iso-codes data is LGPL-2.1-or-later; this derived list is',
        '#   distributed under the same terms.',
    ]
    lines += ['# ' + c for c in extra_comments]
    return lines


def write(path, lines):
    tmp = path + '.tmp'
    with open(tmp, 'w', encoding='utf-8', newline='\n') as f:
        f.write('\n'.join(lines) + '\n')
    os.replace(tmp, path)


def sort_key(s):
    return (s.casefold(), s)


def build_countries(c1, c2codes, c3codes, version):
    """Returns (lines, alpha2 -> canonical, canonical -> type)."""
    canon_of = {}
    blocks = []
    for c in c1:
        a2 = c['alpha_2']
        if a2 in NEWS_NAMES:
            canonical, extra = NEWS_NAMES[a2]
        else:
            canonical, extra = nfc(c.get('common_name') or c['name']), []
        canonical = nfc(canonical)
        canon_of[a2] = canonical
        surfaces = [canonical]
        for key in ('name', 'official_name', 'common_name'):
            if key in c:
                s = clean_iso_name(c[key])
                if s:
                    surfaces.append(s)
        surfaces += [nfc(x) for x in extra]
        folded = [ascii_fold(s) for s in surfaces]
        surfaces += [f for f in folded if f]
        # "Saint Lucia" -> also "St. Lucia" / "St Lucia"
        for s in list(surfaces):
            if s.startswith('Saint '):
                surfaces += ['St. ' + s[6:], 'St ' + s[6:]]
        seen, out = set(), []
        for s in surfaces:
            if s not in seen and s not in DROP_SURFACES:
                seen.add(s)
                out.append(s)
        typ = TYPE_OVERRIDE.get(a2, '')
        blocks.append((canonical, a2, typ, out))
    types = {}
    lines = []
    for canonical, a2, typ, surfaces in sorted(blocks, key=lambda b: sort_key(b[0])):
        types[canonical] = typ or 'GPE'
        lines.append('')
        lines.append('# %s' % a2)
        for i, s in enumerate(surfaces):
            a = [('type', typ), ('canonical', canonical), ('iso', a2)]
            if i == 0:
                a.append(('wikidata', WIKIDATA.get(a2, '')))
            lines.append(entry(s, a))
    lines.append('')
    lines.append('# Not ISO 3166-1 countries: breakaway and partly recognised states, the')
    lines.append('# constituent countries of the UK, and former states (codes from')
    lines.append('# iso_3166-2 / iso_3166-3 where they exist; XK is a user-assigned code).')
    for canonical, iso, typ, aliases, country in EXTRA_COUNTRIES:
        if iso and iso != 'XK' and iso not in c2codes and iso not in c3codes:
            raise SystemExit('%s: code %s not in iso-codes' % (canonical, iso))
        types[canonical] = typ
        for s in [canonical] + aliases:
            a = [('type', '' if typ == 'GPE' else typ), ('canonical', canonical), ('iso', iso),
                 ('country', country)]
            lines.append(entry(nfc(s), a))
    return lines, canon_of, types


def build_demonyms(canon_of, types):
    lines = ['', '# Nationalities: canonical = the country (countries.lst).']
    seen = {}
    rows = []
    for a2, words in DEMONYMS.items():
        if a2 not in canon_of:
            raise SystemExit('demonym table: unknown country code %s' % a2)
        for w in words:
            rows.append((canon_of[a2], a2, nfc(w)))
    for canonical, words in EXTRA_DEMONYMS.items():
        if canonical not in types:
            raise SystemExit('demonym table: unknown entity %s' % canonical)
        for w in words:
            rows.append((canonical, '', nfc(w)))
    rows.sort(key=lambda r: (sort_key(r[0]), sort_key(r[2])))
    for canonical, a2, w in rows:
        if w in seen and seen[w] != canonical:
            raise SystemExit('demonym %s maps to %s and %s' % (w, seen[w], canonical))
        if w in seen:
            continue
        seen[w] = canonical
        lines.append(entry(w, [('canonical', canonical)]))
    lines.append('')
    lines.append('# Regional, ethnic, religious and political groups.')
    for w, canonical in GROUP_NORP:
        w = nfc(w)
        if w in seen:
            if seen[w] != canonical:
                raise SystemExit('group word %s maps to %s and %s' % (w, seen[w], canonical))
            continue
        seen[w] = canonical
        lines.append(entry(w, [('canonical', canonical)]))
    return lines


def build_regions(c2, canon_of):
    by_code = {x['code']: x for x in c2}
    lines = []
    done = set()
    for a2 in REGION_COUNTRIES:
        want = sorted(code for code in by_code if code.split('-')[0] == a2)
        table = {r[0]: r for r in REGIONS if r[0].startswith(a2 + '-')}
        lines.append('')
        lines.append('# %s (%s)' % (canon_of[a2], a2))
        for code in want:
            if code in CITY_SUBDIVISIONS:
                lines.append('# %s %s: a city, see cities.lst' % (code, by_code[code]['name']))
                continue
            if code not in table:
                # a code this script does not know yet (newer iso-codes):
                # keep the iso-codes name so nothing is lost, and say so.
                sys.stderr.write('warning: no English name for %s (%s); using the iso-codes name\n'
                                 % (code, by_code[code]['name']))
                name = nfc(by_code[code]['name'])
                lines.append(entry(name, [('canonical', name), ('iso', code), ('country', canon_of[a2])]))
                continue
            _, canonical, surfaces = table[code]
            done.add(code)
            seen = set()
            for s in [canonical] + surfaces:
                s = nfc(s)
                if s in seen:
                    continue
                seen.add(s)
                lines.append(entry(s, [('canonical', canonical), ('iso', code),
                                       ('country', canon_of[a2])]))
        for code in sorted(set(table) - set(want)):
            sys.stderr.write('warning: %s is in the script but not in iso-codes; left out\n' % code)
    lines.append('')
    lines.append('# Other regions often named in migration news (not in iso-codes 4.15:')
    lines.append('# the Kazakh regions created in 2022, and the self-proclaimed republics).')
    for code, canonical, surfaces, country in EXTRA_REGIONS:
        if code and code not in by_code:
            raise SystemExit('%s: code %s not in iso_3166-2' % (canonical, code))
        seen = set()
        for s in [canonical] + surfaces:
            s = nfc(s)
            if s in seen:
                continue
            seen.add(s)
            lines.append(entry(s, [('canonical', canonical), ('iso', code), ('country', country)]))
    return lines


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--iso-dir', default='/usr/share/iso-codes/json')
    ap.add_argument('--out-dir', default=os.path.join(root, 'lexicons', 'entities'))
    args = ap.parse_args()

    def load(name, key):
        with open(os.path.join(args.iso_dir, name), encoding='utf-8') as f:
            return json.load(f)[key]

    c1 = load('iso_3166-1.json', '3166-1')
    c2 = load('iso_3166-2.json', '3166-2')
    try:
        c3 = load('iso_3166-3.json', '3166-3')
    except OSError:
        c3 = []
    version = iso_version()
    os.makedirs(args.out_dir, exist_ok=True)

    c2codes = {x['code'] for x in c2}
    c3codes = {x['alpha_2'] for x in c3}
    body, canon_of, types = build_countries(c1, c2codes, c3codes, version)
    lines = header('countries.lst', 'countries and territories (ISO 3166-1) with news names',
                   ['iso_3166-1.json', 'iso_3166-2.json', 'iso_3166-3.json'], version,
                   ['canonical = the short English name used in news (Russia, Iran, Türkiye,',
                    'South Korea, Czechia, United States, United Kingdom); every iso-codes',
                    'name / official_name / common_name is an alias (inverted forms such as',
                    '"Korea, Republic of" are turned round, parenthesised ones replaced).'])
    lines += ['@kind ENTITY', '@type GPE', '@case sensitive',
              '@source Debian iso-codes %s, iso_3166-1.json (LGPL-2.1+); news names: %s'
              % (version, SCRIPT)]
    write(os.path.join(args.out_dir, 'countries.lst'), lines + body)

    lines = header('demonyms.lst', 'nationality and group words (NORP)',
                   ['iso_3166-1.json'], version,
                   ['iso-codes has no demonyms: the words come from the DEMONYMS and',
                    'GROUP_NORP tables of the script (general knowledge); canonical = the',
                    'country as in countries.lst (Tajik -> Tajikistan), or the region or group.'])
    lines += ['@kind ENTITY', '@type NORP', '@case sensitive',
              '@source Debian iso-codes %s, iso_3166-1.json (LGPL-2.1+) for the countries; '
              'demonyms: hand table in %s (general knowledge)' % (version, SCRIPT)]
    write(os.path.join(args.out_dir, 'demonyms.lst'), lines + build_demonyms(canon_of, types))

    lines = header('regions.lst', 'first-level regions of KZ, KG, TJ, UZ, TM, RU (ISO 3166-2)',
                   ['iso_3166-2.json'], version,
                   ['iso= is the ISO 3166-2 code, country= the canonical country.',
                    'English names and variants come from the REGIONS table of the script;',
                    'canonical "<Name> region" for oblasts, "<Name> Krai" for krais, the',
                    'short name for republics.  A bare region name is listed only where no',
                    'city has the same name (Sughd, Khatlon; not Osh, Naryn, Mary).'])
    lines += ['@kind ENTITY', '@type GPE', '@case sensitive',
              '@source Debian iso-codes %s, iso_3166-2.json (LGPL-2.1+); English names: %s'
              % (version, SCRIPT)]
    write(os.path.join(args.out_dir, 'regions.lst'), lines + build_regions(c2, canon_of))


if __name__ == '__main__':
    main()
