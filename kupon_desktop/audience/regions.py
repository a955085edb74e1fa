"""Russian regions and their big cities, mapped to their time zones.

A contact list often says where a customer lives ("Свердловская обл.", "г. Екатеринбург",
"Kamchatka") rather than naming a time zone. This table covers every one of Russia's
eleven zones, from Kaliningrad (UTC+2) to Kamchatka and Chukotka (UTC+12), with each
region (in Russian and in the usual transliterations) and its large cities.

Names are compared by :func:`place_key`: case, "ё", punctuation and the words "г.",
"город", "область", "край", "республика", "oblast", "krai"... do not matter, so
"Свердловская обл." and "Sverdlovsk Oblast" both find ``Asia/Yekaterinburg``.

Zones are IANA names (``zoneinfo``); where a region has its own IANA zone (Saratov,
Ulyanovsk, Barnaul, Chita...) that one is used, so past dates stay right too.
"""

from __future__ import annotations

import functools
import re

#: zone -> places in it, "|"-separated: regions first, then cities; Russian, then Latin
_PLACES: tuple[tuple[str, str], ...] = (
    # UTC+2
    (
        "Europe/Kaliningrad",
        "Калининградская область|Калининград|Черняховск|Балтийск|Гусев|"
        "Kaliningrad|Kaliningradskaya|Kaliningrad Oblast",
    ),
    # UTC+3
    (
        "Europe/Moscow",
        "Москва|Московская область|Подмосковье|Зеленоград|Химки|Балашиха|Подольск|Мытищи|"
        "Королёв|Люберцы|Красногорск|Одинцово|Электросталь|Коломна|Серпухов|Сергиев Посад|"
        "Moscow|Moskva|Moskovskaya|Moscow Oblast|Moscow Region|Podmoskovye|Zelenograd|"
        "Санкт-Петербург|Петербург|СПб|Питер|Ленинградская область|Гатчина|Выборг|"
        "Saint Petersburg|St Petersburg|Sankt-Peterburg|Petersburg|Spb|Leningrad|"
        "Leningradskaya|"
        "Белгородская|Белгород|Старый Оскол|Belgorod|Belgorodskaya|"
        "Брянская|Брянск|Bryansk|Bryanskaya|"
        "Владимирская|Владимир|Ковров|Vladimir|Vladimirskaya|"
        "Воронежская|Воронеж|Voronezh|Voronezhskaya|"
        "Ивановская|Иваново|Ivanovo|Ivanovskaya|"
        "Калужская|Калуга|Обнинск|Kaluga|Kaluzhskaya|Obninsk|"
        "Костромская|Кострома|Kostroma|Kostromskaya|"
        "Курская|Курск|Kursk|Kurskaya|"
        "Липецкая|Липецк|Lipetsk|Lipetskaya|"
        "Орловская|Орёл|Oryol|Orel|Orlovskaya|"
        "Рязанская|Рязань|Ryazan|Ryazanskaya|"
        "Смоленская|Смоленск|Smolensk|Smolenskaya|"
        "Тамбовская|Тамбов|Tambov|Tambovskaya|"
        "Тверская|Тверь|Tver|Tverskaya|"
        "Тульская|Тула|Новомосковск|Tula|Tulskaya|"
        "Ярославская|Ярославль|Рыбинск|Yaroslavl|Yaroslavskaya|"
        "Архангельская|Архангельск|Северодвинск|Arkhangelsk|Arkhangelskaya|"
        "Вологодская|Вологда|Череповец|Vologda|Vologodskaya|Cherepovets|"
        "Мурманская|Мурманск|Murmansk|Murmanskaya|"
        "Новгородская|Великий Новгород|Veliky Novgorod|Novgorod|Novgorodskaya|"
        "Псковская|Псков|Pskov|Pskovskaya|"
        "Карелия|Петрозаводск|Karelia|Petrozavodsk|"
        "Коми|Сыктывкар|Ухта|Воркута|Komi|Syktyvkar|"
        "Ненецкий автономный округ|Нарьян-Мар|Nenets|Naryan-Mar|"
        "Нижегородская|Нижний Новгород|Дзержинск|Арзамас|"
        "Nizhny Novgorod|Nizhniy Novgorod|Nizhegorodskaya|"
        "Марий Эл|Йошкар-Ола|Mari El|Yoshkar-Ola|"
        "Мордовия|Саранск|Mordovia|Saransk|"
        "Чувашия|Чувашская|Чебоксары|Новочебоксарск|Chuvashia|Cheboksary|"
        "Татарстан|Татария|Казань|Набережные Челны|Нижнекамск|Альметьевск|"
        "Tatarstan|Kazan|Naberezhnye Chelny|"
        "Пензенская|Пенза|Penza|Penzenskaya|"
        "Краснодарский|Кубань|Краснодар|Сочи|Новороссийск|Армавир|Анапа|Геленджик|"
        "Krasnodar|Krasnodarsky|Kuban|Sochi|Novorossiysk|Anapa|"
        "Ростовская|Ростов-на-Дону|Таганрог|Шахты|Волгодонск|Новочеркасск|"
        "Rostov|Rostov-on-Don|Rostovskaya|Taganrog|"
        "Ставропольский|Ставрополь|Пятигорск|Кисловодск|Невинномысск|Ессентуки|"
        "Stavropol|Stavropolsky|Pyatigorsk|Kislovodsk|"
        "Адыгея|Майкоп|Adygea|Maykop|"
        "Дагестан|Махачкала|Дербент|Хасавюрт|Dagestan|Makhachkala|"
        "Ингушетия|Магас|Назрань|Ingushetia|Nazran|"
        "Кабардино-Балкария|Кабардино-Балкарская|Нальчик|Kabardino-Balkaria|Nalchik|"
        "Карачаево-Черкесия|Карачаево-Черкесская|Черкесск|Karachay-Cherkessia|Cherkessk|"
        "Северная Осетия|Алания|Владикавказ|North Ossetia|Alania|Vladikavkaz|"
        "Чечня|Чеченская|Грозный|Chechnya|Chechen|Grozny|"
        "Калмыкия|Элиста|Kalmykia|Elista",
    ),
    ("Europe/Kirov", "Кировская|Киров|Kirov|Kirovskaya"),
    (
        "Europe/Volgograd",
        "Волгоградская|Волгоград|Волжский|Камышин|Volgograd|Volgogradskaya|Volzhsky",
    ),
    (
        "Europe/Simferopol",
        "Крым|Республика Крым|Симферополь|Севастополь|Ялта|Керчь|Евпатория|Феодосия|"
        "Crimea|Krym|Simferopol|Sevastopol|Yalta|Kerch|Yevpatoria",
    ),
    # UTC+4
    (
        "Europe/Samara",
        "Самарская|Самара|Тольятти|Сызрань|Новокуйбышевск|Samara|Samarskaya|Tolyatti|"
        "Togliatti|Syzran|"
        "Удмуртия|Удмуртская|Ижевск|Сарапул|Воткинск|Udmurtia|Izhevsk",
    ),
    ("Europe/Ulyanovsk", "Ульяновская|Ульяновск|Димитровград|Ulyanovsk|Ulyanovskaya"),
    ("Europe/Astrakhan", "Астраханская|Астрахань|Astrakhan|Astrakhanskaya"),
    ("Europe/Saratov", "Саратовская|Саратов|Энгельс|Балаково|Saratov|Saratovskaya|Engels|Balakovo"),
    # UTC+5
    (
        "Asia/Yekaterinburg",
        "Свердловская|Екатеринбург|Нижний Тагил|Каменск-Уральский|Первоуральск|"
        "Sverdlovsk|Sverdlovskaya|Yekaterinburg|Ekaterinburg|Nizhny Tagil|"
        "Челябинская|Челябинск|Магнитогорск|Златоуст|Миасс|Chelyabinsk|Chelyabinskaya|"
        "Magnitogorsk|"
        "Курганская|Курган|Kurgan|Kurganskaya|"
        "Тюменская|Тюмень|Тобольск|Tyumen|Tyumenskaya|Tobolsk|"
        "Оренбургская|Оренбург|Орск|Orenburg|Orenburgskaya|Orsk|"
        "Пермский|Пермь|Березники|Perm|Permsky|Berezniki|"
        "Башкортостан|Башкирия|Уфа|Стерлитамак|Салават|Нефтекамск|"
        "Bashkortostan|Bashkiria|Ufa|Sterlitamak|"
        "Ханты-Мансийский|ХМАО|Югра|Ханты-Мансийск|Сургут|Нижневартовск|Нефтеюганск|"
        "Khanty-Mansiysk|Khanty-Mansi|Yugra|KhMAO|Surgut|Nizhnevartovsk|"
        "Ямало-Ненецкий|ЯНАО|Салехард|Новый Уренгой|Ноябрьск|Yamalo-Nenets|Yamal|"
        "Salekhard|Novy Urengoy",
    ),
    # UTC+6
    ("Asia/Omsk", "Омская|Омск|Omsk|Omskaya"),
    # UTC+7
    ("Asia/Novosibirsk", "Новосибирская|Новосибирск|Бердск|Novosibirsk|Novosibirskaya"),
    (
        "Asia/Barnaul",
        "Алтайский|Алтай|Республика Алтай|Барнаул|Бийск|Рубцовск|Горно-Алтайск|"
        "Altai|Altay|Altaysky|Barnaul|Biysk|Gorno-Altaysk",
    ),
    ("Asia/Tomsk", "Томская|Томск|Северск|Tomsk|Tomskaya"),
    (
        "Asia/Novokuznetsk",
        "Кемеровская|Кузбасс|Кемерово|Новокузнецк|Прокопьевск|Kemerovo|Kemerovskaya|"
        "Kuzbass|Novokuznetsk",
    ),
    (
        "Asia/Krasnoyarsk",
        "Красноярский|Красноярск|Норильск|Ачинск|Канск|Krasnoyarsk|Krasnoyarsky|Norilsk|"
        "Хакасия|Абакан|Khakassia|Abakan|"
        "Тыва|Тува|Кызыл|Tuva|Tyva|Kyzyl",
    ),
    # UTC+8
    (
        "Asia/Irkutsk",
        "Иркутская|Иркутск|Братск|Ангарск|Усть-Илимск|Irkutsk|Irkutskaya|Bratsk|Angarsk|"
        "Бурятия|Улан-Удэ|Buryatia|Ulan-Ude",
    ),
    # UTC+9
    (
        "Asia/Yakutsk",
        "Якутия|Саха|Саха Якутия|Якутск|Нерюнгри|Yakutia|Sakha|Yakutsk|"
        "Амурская|Благовещенск|Amur|Amurskaya|Blagoveshchensk",
    ),
    ("Asia/Chita", "Забайкальский|Забайкалье|Чита|Zabaykalsky|Transbaikal|Chita"),
    # UTC+10
    (
        "Asia/Vladivostok",
        "Приморский|Приморье|Владивосток|Находка|Уссурийск|Артём|Primorsky|Primorye|"
        "Vladivostok|Nakhodka|Ussuriysk|"
        "Хабаровский|Хабаровск|Комсомольск-на-Амуре|Khabarovsk|Khabarovsky|"
        "Komsomolsk-on-Amur|"
        "Еврейская|Биробиджан|Jewish|Birobidzhan",
    ),
    # UTC+11
    ("Asia/Magadan", "Магаданская|Магадан|Magadan|Magadanskaya"),
    (
        "Asia/Sakhalin",
        "Сахалинская|Сахалин|Южно-Сахалинск|Sakhalin|Sakhalinskaya|Yuzhno-Sakhalinsk",
    ),
    # UTC+12
    (
        "Asia/Kamchatka",
        "Камчатский|Камчатка|Петропавловск-Камчатский|Kamchatka|Kamchatsky|"
        "Petropavlovsk-Kamchatsky|Petropavlovsk-Kamchatskiy",
    ),
    ("Asia/Anadyr", "Чукотский|Чукотка|Анадырь|Chukotka|Chukotsky|Anadyr"),
)

#: words that say what kind of place a name is, not which one
_KIND_WORDS = frozenset(
    {
        "г",
        "гор",
        "город",
        "обл",
        "область",
        "край",
        "кр",
        "республика",
        "респ",
        "рес",
        "автономный",
        "автономная",
        "ао",
        "округ",
        "аобл",
        "пгт",
        "пос",
        "поселок",
        "село",
        "рф",
        "city",
        "town",
        "oblast",
        "obl",
        "region",
        "reg",
        "krai",
        "kray",
        "territory",
        "republic",
        "respublika",
        "rep",
        "autonomous",
        "okrug",
        "ao",
        "of",
        "the",
    }
)
_WORD = re.compile(r"[^\W_]+")


def place_key(text: str) -> str:
    """The comparable form of a place name: lower case, "ё" as "е", words only, without
    the words that say what kind of place it is."""
    t = text.casefold().replace("ё", "е")
    return " ".join(w for w in _WORD.findall(t) if w not in _KIND_WORDS)


@functools.cache
def place_zones() -> dict[str, str]:
    """place key -> IANA zone. Built once; a name listed under two zones is a mistake in
    the table above and fails loudly."""
    table: dict[str, str] = {}
    for zone, names in _PLACES:
        for name in names.split("|"):
            key = place_key(name)
            if not key:
                raise ValueError(f"region table: {name!r} has no name left")
            if table.setdefault(key, zone) != zone:
                raise ValueError(f"region table: {name!r} is under {table[key]} and {zone}")
    return table


def zones_covered() -> list[str]:
    """Every zone the table maps to, west to east as listed."""
    return list(dict.fromkeys(zone for zone, _ in _PLACES))
