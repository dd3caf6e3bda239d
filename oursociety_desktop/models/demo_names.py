"""Name pools for demo data: people from the many communities a UK hub serves, some in their own script."""

from __future__ import annotations

# (culture, given names, family names, languages spoken)
CULTURES: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    ("english", ("Oliver", "Amelia", "Harry", "Isla", "George", "Ava", "Jack", "Emily", "Margaret", "Tom", "Sue",
                 "Dave", "Jenny", "Rob", "Kath"),
     ("Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Johnson", "Roberts", "Walker", "Wright",
      "Thompson", "Hughes", "Green", "Hall"), ("English",)),
    ("irish", ("Siobhán", "Seán", "Aoife", "Niamh", "Ciarán", "Pádraig", "Órla", "Eoin", "Caoimhe", "Dónal"),
     ("Ó Briain", "Murphy", "Kelly", "O'Sullivan", "Walsh", "Mac Giolla", "Byrne", "Ní Cheallaigh", "Ryan"),
     ("English", "Irish")),
    ("polish", ("Łukasz", "Małgorzata", "Wojciech", "Agnieszka", "Paweł", "Katarzyna", "Michał", "Żaneta",
                "Grzegorz", "Joanna"),
     ("Łukasiewicz", "Wójcik", "Kowalczyk", "Nowak", "Zieliński", "Szymańska", "Dąbrowski", "Woźniak",
      "Kamiński", "Lewandowska"), ("Polish", "English")),
    ("urdu", ("Ayesha", "Imran", "Fatima", "Bilal", "Zainab", "Usman", "عائشہ", "عمران", "Saima", "Tariq"),
     ("Khan", "Hussain", "Qureshi", "Malik", "Chaudhry", "Butt", "خان", "حسین", "Akhtar", "Raza"),
     ("Urdu", "Punjabi", "English")),
    ("arabic", ("Mohammed", "Fatima", "Omar", "Layla", "Yusuf", "Mariam", "محمد", "ليلى", "Khalid", "Huda"),
     ("Al-Sayed", "Haddad", "Nasser", "العلي", "Mansour", "Saleh", "حداد", "Abdullah", "Hamdan"),
     ("Arabic", "English")),
    ("somali", ("Abdi", "Hodan", "Mahad", "Ifrah", "Farah", "Sahra", "Yasin", "Amina", "Liban", "Nimco"),
     ("Warsame", "Abdullahi", "Hassan", "Mohamud", "Jama", "Osman", "Ali", "Farah", "Egal", "Guled"),
     ("Somali", "English")),
    ("greek", ("Γιώργος", "Ελένη", "Δημήτρης", "Μαρία", "Nikos", "Eleni", "Κατερίνα", "Yiannis", "Σοφία"),
     ("Παπαδόπουλος", "Georgiou", "Νικολάου", "Konstantinou", "Οικονόμου", "Pappas", "Βασιλείου"),
     ("Greek", "English")),
    ("chinese", ("伟", "芳", "Wei", "Mei", "Jun", "小明", "Ling", "Hui", "Xiu Ying", "Chen"),
     ("王", "李", "张", "Wang", "Li", "Zhang", "Liu", "陈", "Chan", "Wong"), ("Mandarin", "Cantonese", "English")),
    ("bengali", ("Rahim", "Nasrin", "Abdul", "Shirin", "Sumon", "রহিম", "নাসরিন", "Ruksana", "Jamal", "Farzana"),
     ("Ahmed", "Begum", "Miah", "Rahman", "Uddin", "Islam", "আহমেদ", "Choudhury", "Hoque"), ("Bengali", "Sylheti",
                                                                                          "English")),
    ("romanian", ("Ștefan", "Ioana", "Andrei", "Elena", "Mihai", "Ana-Maria", "Cătălin", "Răzvan", "Ileana"),
     ("Popescu", "Ionescu", "Țurcanu", "Dumitrescu", "Stănescu", "Constantinescu", "Grigoraș", "Munteanu"),
     ("Romanian", "English")),
    ("caribbean", ("Delroy", "Marcia", "Winston", "Beverley", "Leroy", "Paulette", "Errol", "Claudette"),
     ("Campbell", "Francis", "Reid", "Bailey", "Grant", "Clarke", "Henry", "Brown"), ("English",)),
    ("nigerian", ("Chiamaka", "Oluwaseun", "Ngozi", "Emeka", "Adebayo", "Funmilayo", "Chidi", "Yetunde"),
     ("Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Adebayo", "Nwosu", "Ogunleye"), ("English", "Yoruba",
                                                                                       "Igbo")),
)

# Where people live: fictional streets in real places, with the places' real postcode areas.
TOWNS: tuple[tuple[str, str, str, str], ...] = (
    # (locality, region, postcode area, fictional-number landline prefix reserved for drama by Ofcom)
    ("Manchester", "Greater Manchester", "M", "0161 496 0"),
    ("Birmingham", "West Midlands", "B", "0121 496 0"),
    ("Leeds", "West Yorkshire", "LS", "0113 496 0"),
    ("Bristol", "Bristol", "BS", "0117 496 0"),
    ("London", "Greater London", "E", "020 7946 0"),
    ("Glasgow", "Glasgow City", "G", "0141 496 0"),
    ("Cardiff", "Cardiff", "CF", "029 2018 0"),
    ("Sheffield", "South Yorkshire", "S", "0114 496 0"),
)

STREETS = ("Mill Lane", "Church Street", "Victoria Road", "Albert Terrace", "Station Road", "Park Avenue",
           "Canal Side", "Orchard Close", "Hope Street", "Market Place", "Jubilee Way", "Cotton Row",
           "Brook Street", "Union Walk", "Chapel Yard")

ORGANISATIONS = ("", "", "", "", "Food Bank", "Tenants' Association", "Mosque Committee", "St Mary's Church",
                 "Library Friends", "Youth Club", "Credit Union", "Allotment Society", "Refugee Welcome",
                 "Community Kitchen", "Repair Café", "Women's Circle")
ROLES = ("", "", "", "volunteer", "coordinator", "trustee", "member", "chair", "treasurer", "organiser")
SKILLS = ("cooking", "driving", "translation", "childcare", "gardening", "IT help", "first aid", "legal advice",
          "fundraising", "carpentry", "listening", "teaching", "design", "accounts", "music")
INTERESTS = ("housing", "food", "climate", "youth", "elderly", "refugees", "health", "arts", "sport", "jobs")
GROUP_TOPICS = ("Food", "Housing", "Youth", "Elders", "Climate", "Welcome", "Health", "Arts", "Jobs", "Green Spaces",
                "Transport", "Safety", "Tech", "Money", "Parents")
GROUP_PLACES = ("North", "South", "East", "West", "Central", "Riverside", "Hilltop", "Old Town", "Docks", "Park")
ACTION_VERBS = ("Call", "Visit", "Email", "Meet", "Follow up with", "Check in with", "Invite", "Ring")
ACTION_TOPICS = ("about the food bank rota", "about housing repairs", "about the street party",
                 "about the allotment plan", "to welcome them to the hub", "about the youth club",
                 "about the credit union", "about the repair café")
MEETING_TITLES = ("Monthly hub meeting", "Working group catch-up", "Street party planning", "New members welcome",
                  "Listening campaign", "Community kitchen rota", "Climate action night", "Tenants' forum")
