"""Synthetic name pools for demo data: (spelling in documents, original script)."""

from __future__ import annotations

# country: (languages, nationality, male given, female given, family names)
Pool = tuple[list[str], str, list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]

POOLS: dict[str, Pool] = {
    "syria": (
        ["ar"],
        "SY",
        [
            ("Mohammed", "محمد"),
            ("Ahmad", "أحمد"),
            ("Khaled", "خالد"),
            ("Omar", "عمر"),
            ("Youssef", "يوسف"),
            ("Hussein", "حسين"),
            ("Mahmoud", "محمود"),
            ("Ali", "علي"),
            ("Bilal", "بلال"),
            ("Samer", "سامر"),
        ],
        [
            ("Fatima", "فاطمة"),
            ("Aisha", "عائشة"),
            ("Rasha", "رشا"),
            ("Nour", "نور"),
            ("Hiba", "هبة"),
            ("Lina", "لينا"),
            ("Maryam", "مريم"),
            ("Rana", "رنا"),
            ("Amal", "أمل"),
            ("Zainab", "زينب"),
        ],
        [
            ("Al-Hassan", "الحسن"),
            ("Haddad", "حداد"),
            ("Khalil", "خليل"),
            ("Nasser", "ناصر"),
            ("Saleh", "صالح"),
            ("Ibrahim", "إبراهيم"),
            ("Darwish", "درويش"),
            ("Othman", "عثمان"),
            ("Hamdan", "حمدان"),
            ("Mansour", "منصور"),
        ],
    ),
    "afghanistan": (
        ["fa", "ps"],
        "AF",
        [
            ("Ahmad Zia", "احمد ضیا"),
            ("Mohammad", "محمد"),
            ("Farid", "فرید"),
            ("Jawad", "جواد"),
            ("Hamid", "حمید"),
            ("Sayed", "سید"),
            ("Nasir", "ناصر"),
            ("Wahid", "وحید"),
        ],
        [
            ("Zahra", "زهرا"),
            ("Maryam", "مریم"),
            ("Fereshta", "فرشته"),
            ("Shabnam", "شبنم"),
            ("Mursal", "مرسل"),
            ("Parwana", "پروانه"),
            ("Nilofar", "نیلوفر"),
        ],
        [
            ("Ahmadi", "احمدی"),
            ("Rahimi", "رحیمی"),
            ("Hosseini", "حسینی"),
            ("Mohammadi", "محمدی"),
            ("Karimi", "کریمی"),
            ("Sultani", "سلطانی"),
            ("Noori", "نوری"),
            ("Popal", "پوپل"),
        ],
    ),
    "iraq": (
        ["ar", "kmr"],
        "IQ",
        [("Muhammad", "محمد"), ("Haidar", "حيدر"), ("Mustafa", "مصطفى"), ("Kawa", "کاوە"), ("Hassan", "حسن")],
        [("Zahraa", "زهراء"), ("Shirin", "شيرين"), ("Huda", "هدى"), ("Rojin", "روژین")],
        [("Al-Jubouri", "الجبوري"), ("Kareem", "كريم"), ("Murad", "مراد"), ("Sido", "سيدو"), ("Qasim", "قاسم")],
    ),
    "ukraine": (
        ["uk", "ru"],
        "UA",
        [
            ("Oleksandr", "Олександр"),
            ("Andrii", "Андрій"),
            ("Dmytro", "Дмитро"),
            ("Serhii", "Сергій"),
            ("Volodymyr", "Володимир"),
            ("Mykola", "Микола"),
            ("Yurii", "Юрій"),
        ],
        [
            ("Olena", "Олена"),
            ("Tetiana", "Тетяна"),
            ("Iryna", "Ірина"),
            ("Nataliia", "Наталія"),
            ("Oksana", "Оксана"),
            ("Yuliia", "Юлія"),
            ("Kateryna", "Катерина"),
        ],
        [
            ("Shevchenko", "Шевченко"),
            ("Kovalenko", "Коваленко"),
            ("Bondarenko", "Бондаренко"),
            ("Tkachenko", "Ткаченко"),
            ("Kravchenko", "Кравченко"),
            ("Melnyk", "Мельник"),
            ("Boiko", "Бойко"),
        ],
    ),
    "russia": (
        ["ru"],
        "RU",
        [("Aleksandr", "Александр"), ("Sergei", "Сергей"), ("Dmitrii", "Дмитрий"), ("Ivan", "Иван")],
        [("Elena", "Елена"), ("Tatiana", "Татьяна"), ("Natalia", "Наталья"), ("Svetlana", "Светлана")],
        [("Ivanov", "Иванов"), ("Smirnov", "Смирнов"), ("Kuznetsov", "Кузнецов"), ("Popov", "Попов")],
    ),
    "turkey": (
        ["tr", "kmr"],
        "TR",
        [("Mehmet", ""), ("Mustafa", ""), ("Ümit", ""), ("Emre", ""), ("Hüseyin", ""), ("Serkan", "")],
        [("Ayşe", ""), ("Elif", ""), ("Zeynep", ""), ("Gülşen", ""), ("Özlem", "")],
        [("Yılmaz", ""), ("Kaya", ""), ("Demir", ""), ("Şahin", ""), ("Çelik", ""), ("Öztürk", "")],
    ),
    "eritrea": (
        ["ti"],
        "ER",
        [("Yonas", "ዮናስ"), ("Tesfay", "ተስፋይ"), ("Dawit", "ዳዊት"), ("Samuel", "ሳሙኤል"), ("Filmon", "ፊልሞን")],
        [("Helen", "ሄለን"), ("Senait", "ሰናይት"), ("Selam", "ሰላም"), ("Mebrat", "መብራት")],
        [("Tesfamariam", "ተስፋማርያም"), ("Gebremedhin", "ገብረመድህን"), ("Habte", "ሃብተ"), ("Kidane", "ኪዳነ")],
    ),
    "iran": (
        ["fa"],
        "IR",
        [("Reza", "رضا"), ("Mehdi", "مهدی"), ("Amir", "امیر"), ("Saeed", "سعید")],
        [("Narges", "نرگس"), ("Leila", "لیلا"), ("Mina", "مینا"), ("Sara", "سارا")],
        [("Rezaei", "رضایی"), ("Moradi", "مرادی"), ("Jafari", "جعفری"), ("Ghasemi", "قاسمی")],
    ),
    "romania": (
        ["ro"],
        "RO",
        [("Ion", ""), ("Andrei", ""), ("Mihai", ""), ("Florin", "")],
        [("Maria", ""), ("Elena", ""), ("Ioana", ""), ("Andreea", "")],
        [("Popescu", ""), ("Ionescu", ""), ("Stan", ""), ("Dumitru", "")],
    ),
    "bulgaria": (
        ["bg", "tr"],
        "BG",
        [("Georgi", "Георги"), ("Ivan", "Иван"), ("Dimitar", "Димитър")],
        [("Maria", "Мария"), ("Desislava", "Десислава"), ("Galina", "Галина")],
        [("Georgiev", "Георгиев"), ("Petrov", "Петров"), ("Dimitrov", "Димитров")],
    ),
    "poland": (
        ["pl"],
        "PL",
        [("Piotr", ""), ("Krzysztof", ""), ("Tomasz", "")],
        [("Agnieszka", ""), ("Katarzyna", ""), ("Małgorzata", "")],
        [("Nowak", ""), ("Kowalski", ""), ("Wiśniewski", "")],
    ),
    "guinea": (
        ["fr"],
        "GN",
        [("Mamadou", ""), ("Alpha", ""), ("Ibrahima", "")],
        [("Mariama", ""), ("Fatoumata", ""), ("Aissatou", "")],
        [("Diallo", ""), ("Barry", ""), ("Bah", "")],
    ),
}

# How often each origin appears among clients (roughly the district's mix).
WEIGHTS = {
    "syria": 24, "ukraine": 20, "afghanistan": 12, "turkey": 10, "iraq": 9, "eritrea": 5, "iran": 4,
    "russia": 4, "romania": 5, "bulgaria": 4, "poland": 2, "guinea": 1,
}  # fmt: skip

STREETS = [
    "Hauptstraße", "Bahnhofstraße", "Kirchstraße", "Lange Straße", "Oststraße", "Weststraße", "Am Markt",
    "Münsterstraße", "Warendorfer Straße", "Hammer Straße", "Lindenweg", "Feldstraße",
]  # fmt: skip

POSTCODES = {
    "ahlen": ("59227", "Ahlen"), "beckum": ("59269", "Beckum"), "beelen": ("48361", "Beelen"),
    "drensteinfurt": ("48317", "Drensteinfurt"), "ennigerloh": ("59320", "Ennigerloh"),
    "everswinkel": ("48351", "Everswinkel"), "oelde": ("59302", "Oelde"), "ostbevern": ("48346", "Ostbevern"),
    "sassenberg": ("48336", "Sassenberg"), "sendenhorst": ("48324", "Sendenhorst"), "telgte": ("48291", "Telgte"),
    "wadersloh": ("59329", "Wadersloh"), "warendorf": ("48231", "Warendorf"),
}  # fmt: skip
