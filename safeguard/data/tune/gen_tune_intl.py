"""Writes masking-tune-intl.csv: the tuning set for names from many cultures, phone numbers from
many countries, dates as people write them and addresses outside the UK. Values and frames were
written by hand for this set (none from the evaluation sources); some sentences carry several
kinds, and many carry none but hold words that are also names ("will", "hope", "grace") or
numbers that are not phone numbers, so precision is tuned too.

    python3 safeguard/data/tune/gen_tune_intl.py > safeguard/data/masking-tune-intl.csv
"""
import csv, json, random, re, sys

rng = random.Random(7)

FIRST = """Abdirahman Abdullahi Hodan Ayaan Faduma Warsame Filsan Mahad Yonas Semhar Tesfay Feven
Abel Kidane Biniam Helen Merhawi Selam Dawit Haben Eyerusalem Tsega Aklilu Muluken Ahmad Zainab
Bashir Farida Hamid Mursal Parisa Zahra Sohrab Nargis Shirin Reza Dariush Roya Mehdi Hasan Huda
Omar Yousef Layla Rania Karim Nour Samir Aya Khalid Amira Mustafa Rahaf Tariq Fatima Mohammed
Ibrahim Ismail Yasmin Aaliyah Ayesha Bilal Hamza Imran Sana Zoya Rukhsana Arjun Priya Ananya
Vikram Deepa Harpreet Gurpreet Jaspreet Manpreet Rajesh Sunita Kavya Rohan Nikhil Anjali Tamanna
Nusrat Rahim Sadia Shafiq Tahmina Chukwuemeka Ngozi Oluwaseun Folake Adebayo Temitope Chidi
Amaka Ifeoma Babajide Kwame Kofi Ama Akosua Yaw Efua Kwabena Abena Nana Chipo Tendai Tatenda
Rutendo Farai Thabo Sipho Lerato Zanele Nomsa Wanjiru Otieno Achieng Kamau Njeri Amani Juma
Baraka Zawadi Neema Mariam Aminata Moussa Fatoumata Oumar Ousmane Awa Mamadou Ibrahima Aissatou
Agnieszka Katarzyna Bartosz Krzysztof Wojciech Zofia Oliwia Jakub Mateusz Alicja Andrei Ioana
Mihai Bogdan Elena Cristina Florin Daniela Vasile Marius Alexandru Oana Giorgos Eleni Dimitris
Nikos Kostas Maria Sofia Katerina Besnik Arben Drita Valbona Ermal Elira Blerina Artan Jetmir
Luan Mehmet Emre Elif Zeynep Burak Ayşe Can Deniz Hatice Yusuf Oksana Olena Dmytro Taras Iryna
Mykola Svitlana Nadia Anastasia Viktor Nguyen Linh Thanh Huong Minh Quang Thu Trang Anh Tuan
Mei Wei Jun Xiaoming Li Hui Yan Jing Chen Ling Hiroshi Yuki Haruto Sakura Min-jun Ji-woo Seo-yeon
Jorge Carlos Alejandro Valentina Camila Mateo Santiago Lucia Sofia Diego Rosa Pablo Gabriela
Joao Thiago Beatriz Rafaela Bruno Ines Gonçalo Francisco Siobhan Niamh Aoife Ciaran Padraig
Oisin Sinead Eoin Dafydd Rhys Angharad Cerys Gethin Iolo Bronwen Jayden Kayden Tyreese Shanice
Tanisha Kyla Jermaine Deshawn Leon Kieran Callum Bailey Mason Harvey Alfie Freddie Evie Poppy
Isla Millie Maisie Darcey Lexi Amelia Olivia Jack Oscar Harry Charlie Ruby Lily Ellie Chloe""".split()
LAST = """Mohamed Abdi Hassan Warsame Osman Tesfaye Haile Gebremedhin Kidane Mehari Tekle Ahmadi
Rahimi Hosseini Karimi Mohammadi Rezaei Sultani Noori Haidari Al-Hassan Al-Sayed El-Amin Haddad
Khoury Nasser Darwish Saleh Aziz Khan Hussain Begum Akhtar Iqbal Chaudhry Malik Rahman Uddin
Islam Patel Sharma Singh Kaur Gill Sandhu Reddy Nair Iyer Okafor Okonkwo Adeyemi Balogun
Oyelaran Nwosu Eze Mensah Owusu Boateng Asante Appiah Moyo Dube Ncube Nkosi Dlamini Mwangi
Odhiambo Kiprop Diallo Traore Keita Coulibaly Kowalski Nowak Wiśniewski Zielinski Popescu
Ionescu Constantin Papadopoulos Georgiou Hoxha Krasniqi Berisha Gashi Yilmaz Kaya Demir Celik
Sahin Kovalenko Shevchenko Bondarenko Nguyen Tran Pham Le Hoang Wang Zhang Liu Chen Huang Tanaka
Suzuki Kim Park Lee Garcia Rodriguez Fernandez Lopez Martinez Silva Santos Oliveira Costa
O'Brien Murphy Kelly Byrne Jones Evans Davies Williams Thomas Roberts Smith Taylor Brown
Wilson Walker Hughes Robinson Wright Green Clarke""".split()

# Everyday words that are also names: each must stay unmasked in these sentences.
NEGATIVE = """I want to be heard and have more say
i will try my best at school this year
I hope things get better for everyone in care
we may be moving in june or august
it was a grace period before the bill came
mark my words i will get there
my rose plant died lol
I have faith that it will work out
it was sunny today so we went out
i got a good mark in maths
can we have more say in our reviews
i felt hope for the first time in ages
It will be ok, I know it will
may i have my own phone please
the bill for my phone is too high
we read a story about a king and a hunter
in august we went to the seaside
in June I turn 16
My carer said I may go if I behave
Will they listen this time
Hope is important when you are in care
I was born in 2009 and came here in 2016
I scored 12 out of 20 on the test
there are 30 kids in my class and 3 teachers
i get £20 a week pocket money
year 10 is harder than year 9
I waited 45 minutes for the bus
we have 2 dogs and 1 cat
my review was at 3pm and lasted 2 hours
I have been in 4 placements in 5 years
the room number is 12 and its cold
Room 101 is where the meetings are
i want to go to university and study law
Black lives matter to me
my favourite colour is green
we had a frank talk about school
I like art and drama
the young people in care council meets on tuesdays
Carers should listen more
Social workers change too often
I want to see my brother more
The judge decided I should stay
my social worker is kind but busy
Our home has a big garden and a trampoline
I dont trust the police
we went to london on the train
i love chinese food and indian food
I am from Eritrea and I speak Tigrinya
I came from Afghanistan when I was 14
i speak arabic and a bit of french
Muslim kids need halal food in placements
Christmas is hard when youre in care
I go to the mosque on Fridays
my religion is important to me
it costs 2,500 pounds
I need 10 more minutes
Play station 5 is the best
I was in year 7 in 2021
The rose garden at the park is nice
Sunny days make me happy
I want justice for what happened
Dawn is the best time of day
Summer holidays are too long
My faith helps me
I am brown and proud
She is a young carer
we played cards and i won
April fools day is fun
Mr Men books are for babies
The new manager is nice
My grace period ended
Faith and hope keep me going""".split("\n")

NAME_FRAMES = [
    "my name is {n}", "My names {n}", "i am called {n} and im 14", "call me {n}",
    "my social worker {n} is nice", "My social worker is {n}", "my foster carer {n} listens",
    "my key worker is called {n}", "Mr {l} is my head of year", "Ms {l} helped me",
    "Mrs {l} shouts a lot", "Dr {l} at camhs", "my brother {n} is 9", "my sister {n} lives in Leeds",
    "my best friend {n} came with me", "{n} {l} is my advocate", "I live with {n} and {m}",
    "{n} and {m} are my carers", "my mum {n} wants me home", "my dad {n} is in prison",
    "i miss {n}", "Me and {n} went out", "{n} {l} was my first social worker",
    "the teacher {n} {l} was good", "I talked to {n} about it", "ask {n}",
    "{n} from the leaving care team", "my PA {n} {l}", "my worker {n} never rings",
    "{n}, {m} and {o} are in my house", "my uncle {n} {l} is coming", "{l} family took me in",
    "we stayed with auntie {n}", "I was named {n} after my grandma", "my IRO is {n} {l}",
    "my cousin {n} plays football", "{n} said it was fine", "i told {n} everything",
]


def fill(frame, kinds):
    text, spans, pos = "", [], 0
    for m in re.finditer(r"\{(\w)\}", frame):
        text += frame[pos:m.start()]
        v = kinds[m.group(1)]
        spans.append([len(text), len(text) + len(v)])
        text += v
        pos = m.end()
    text += frame[pos:]
    return text, spans


rows = []
for _ in range(450):
    f = rng.choice(NAME_FRAMES)
    vals = {"n": rng.choice(FIRST), "m": rng.choice(FIRST), "o": rng.choice(FIRST),
            "l": rng.choice(LAST)}
    lower = rng.random() < 0.25
    if lower:
        vals = {k: v.lower() for k, v in vals.items()}
    text, spans = fill(f, vals)
    # "{n} {l}" is one name; "Mr {l}" includes the title.
    merged = []
    for s in spans:
        if merged and s[0] == merged[-1][1] + 1 and text[merged[-1][1]] == " ":
            merged[-1][1] = s[1]
        else:
            merged.append(s)
    out = []
    for s, e in merged:
        t = re.search(r"(Mr|Ms|Mrs|Dr) $", text[:s])
        out.append({"start": t.start() if t else s, "end": e, "type": "NAME"})
    if lower:
        text = text[0].lower() + text[1:]
    rows.append((text, out))

PHONES = """+44 7700 900123|07700 900123|07700900123|+447700900123|0161 496 0000|020 7946 0000|+44 (0)20 7946 0000
+33 (0)6 12 34 56 78|+33 6 12 34 56 78|06 12 34 56 78|+49 151 23456789|0151 23456789|+49 (0)30 1234567
(212) 555-0147|212-555-0147|+1 212 555 0147|555-0147|555 0147|+1 (646) 555-0199 ext. 23|(020) 7946 0000 x123
+251 91 123 4567|+251911234567|0911 234 567|+291 7 123456|+93 70 123 4567|0701234567|+98 912 345 6789
+964 770 123 4567|+963 944 567 890|+20 100 123 4567|+212 6 12 34 56 78|+234 803 123 4567|0803 123 4567
+233 24 123 4567|024 412 3456|+254 712 345678|0712 345 678|+27 82 123 4567|+263 77 123 4567
+252 61 5123456|+92 300 1234567|0300-1234567|+91 98765 43210|098765 43210|+880 1712-345678
+48 512 345 678|+40 721 234 567|0721 234 567|+355 69 123 4567|+90 532 123 45 67|0532 123 45 67
+380 67 123 4567|+84 91 234 56 78|+86 138 0013 8000|+81 90-1234-5678|+34 612 34 56 78|612 345 678
+39 312 345 6789|+351 912 345 678|+55 11 91234-5678|+52 55 1234 5678|+61 412 345 678|+353 87 123 4567
0044 7700 900123|00 33 6 12 34 56 78|07700-900-123|07700.900.123|+44 7700 900 123 ext 4""".replace("\n", "|").split("|")
PHONE_FRAMES = ["ring me on {p}", "my mums number is {p}", "text {p} if you need me",
                "Tel: {p}", "my aunt in the family abroad is {p}", "call my uncle {p} or my nan",
                "{p} is my number", "my old number was {p}, the new one is {q}",
                "you can whatsapp me {p}", "mob {p}", "phone {p} after school"]
for p in PHONES:
    for _ in range(2):
        f = rng.choice(PHONE_FRAMES)
        text, spans = fill(f, {"p": p, "q": rng.choice(PHONES)})
        rows.append((text, [{"start": s, "end": e, "type": "PHONE"} for s, e in spans]))

DATES = """12/03/2009|2009-03-12|3rd March|March 3rd 2009|03.12.2009|the 5th of june|5th of June 2019
12 March 2009|March 12, 2009|12th of march|1/9/2016|01-09-2016|2016/09/01|Sept 3rd|3 Sept 2017
Tuesday 4th May|Monday, 12 March 2018|12 Mar 09|Dec 25th|25 Dec|25.12.2015|25-12-2015|15/6/22
the 21st of September|21st September 2020|September 21|on 2 feb|2nd feb 2023|Feb 2nd|1st of jan
31/12/2019|2019.12.31|14 janvier 2018|12 may 2010|30th april|Apr 30 2021|the first of may""".replace("\n", "|").split("|")
DATE_FRAMES = ["i was born on {d}", "my birthday is {d}", "the review is {d}", "DOB {d}",
               "we came to the uk on {d}", "I moved here {d}", "my court date was {d}",
               "since {d} i havent seen my mum", "last contact was on {d}", "{d} was my first day"]
for d in DATES:
    for _ in range(3):
        f = rng.choice(DATE_FRAMES)
        text, spans = fill(f, {"d": d})
        rows.append((text, [{"start": s, "end": e, "type": "DATE"} for s, e in spans]))

ADDRESSES = """123 Main Street, Springfield|Rue de Rivoli 12|Calle Mayor 5|12 rue de la Paix|Via Roma 22
Hauptstraße 7|Flat 4, 22 Elm Road|Apartment 12, 45 Oak Avenue|Apt 3B, 200 Broadway|Flat 2b 19 Park Lane
45 Rue Victor Hugo, Lyon|Avenida da Liberdade 101|Calle de Alcalá 45, Madrid|ul. Marszałkowska 10
Kungsgatan 15|Strada Lipscani 9|Unit 6, 8 Harbour Way|77 Sunset Boulevard|9 Elm St|Apt. 5, 310 King Street
Karl-Marx-Allee 90|Plaza Mayor 3|22 Boulevard Haussmann|Via del Corso 18, Roma|Flat 10 Jubilee Court""".replace("\n", "|").split("|")
ADDR_FRAMES = ["i used to live at {a}", "our old house was {a}", "my dad lives at {a} now",
               "send it to {a}", "we lived at {a} in france", "my address was {a}",
               "Address: {a}", "my nan is at {a}"]
for a in ADDRESSES:
    for _ in range(3):
        f = rng.choice(ADDR_FRAMES)
        text, spans = fill(f, {"a": a})
        rows.append((text, [{"start": s, "end": e, "type": "ADDRESS"} for s, e in spans]))

for t in NEGATIVE:
    rows.append((t, []))

rng.shuffle(rows)
w = csv.writer(sys.stdout)
w.writerow(["id", "text", "spans"])
for i, (t, s) in enumerate(rows):
    w.writerow([f"ti{i + 1}", t, json.dumps(s, separators=(",", ":"))])
