"""Demo content for Aduan (fictional city "Kota Sukamaju").

Pure data module: standard library only, no Django imports, deterministic at
import time (all variation comes from ``random.Random(42)``). Loaded by the
``seed_demo`` management command.

Exported names:
    UNITS, SLA_POLICIES, RESOLUTION_CLASSES, CATEGORIES, STREETS,
    COMPLAINTS, REJECT_TEMPLATES, PUBLIC_REPLIES, RESOLUTION_SUMMARIES

All people, phone numbers, e-mail addresses, NIK numbers and places are
fictional. Phone numbers/e-mails appear only in complaints flagged with
``"contains_personal_data": True`` (to exercise masking).
"""

import random

# The demo accounts that must use a second factor share this published TOTP secret, so that
# `make run` signs in through the real two-step sign-in: add it to an authenticator app, or
# print the current code with `make otp`.
DEMO_TOTP_SECRET = "ADUANDEMOADUANDEMOADUANDEMOADUAN"

# ---------------------------------------------------------------------------
# Units (a tree; parents listed before children)
# ---------------------------------------------------------------------------

UNITS = [
    {"code": "PEMKOT", "name_id": "Pemerintah Kota Sukamaju", "name_en": "Sukamaju City Government",
     "kind": "government", "parent": None},
    {"code": "DPU", "name_id": "Dinas Pekerjaan Umum dan Penataan Ruang",
     "name_en": "Public Works and Spatial Planning Agency", "kind": "agency", "parent": "PEMKOT"},
    {"code": "DPU-JALAN", "name_id": "Bidang Jalan dan Jembatan (Bina Marga)",
     "name_en": "Roads and Bridges Division", "kind": "subunit", "parent": "DPU"},
    {"code": "DPU-DRAINASE", "name_id": "Bidang Sumber Daya Air dan Drainase",
     "name_en": "Water Resources and Drainage Division", "kind": "subunit", "parent": "DPU"},
    {"code": "DINKES", "name_id": "Dinas Kesehatan", "name_en": "Health Agency",
     "kind": "agency", "parent": "PEMKOT"},
    {"code": "RSUD", "name_id": "RSUD Kota Sukamaju", "name_en": "Sukamaju City General Hospital",
     "kind": "subunit", "parent": "DINKES"},
    {"code": "DISDIK", "name_id": "Dinas Pendidikan", "name_en": "Education Agency",
     "kind": "agency", "parent": "PEMKOT"},
    {"code": "DUKCAPIL", "name_id": "Dinas Kependudukan dan Pencatatan Sipil",
     "name_en": "Population and Civil Registry Agency", "kind": "agency", "parent": "PEMKOT"},
    {"code": "DLH", "name_id": "Dinas Lingkungan Hidup", "name_en": "Environment Agency",
     "kind": "agency", "parent": "PEMKOT"},
    {"code": "DLH-KEBERSIHAN", "name_id": "Bidang Kebersihan dan Pengelolaan Sampah",
     "name_en": "Cleanliness and Waste Management Division", "kind": "subunit", "parent": "DLH"},
    {"code": "DISHUB", "name_id": "Dinas Perhubungan", "name_en": "Transport Agency",
     "kind": "agency", "parent": "PEMKOT"},
    {"code": "SATPOLPP", "name_id": "Satuan Polisi Pamong Praja",
     "name_en": "Municipal Public Order Agency (Satpol PP)", "kind": "agency", "parent": "PEMKOT"},
    {"code": "DINSOS", "name_id": "Dinas Sosial", "name_en": "Social Affairs Agency",
     "kind": "agency", "parent": "PEMKOT"},
    {"code": "PDAM", "name_id": "Perumda Air Minum Tirta Sukamaju",
     "name_en": "Tirta Sukamaju Water Utility (PDAM)", "kind": "utility", "parent": "PEMKOT"},
    {"code": "INSPEKTORAT", "name_id": "Inspektorat Kota Sukamaju", "name_en": "Sukamaju City Inspectorate",
     "kind": "oversight", "parent": "PEMKOT"},
]

# ---------------------------------------------------------------------------
# SLA policies (working days, following LAPOR!/SP4N practice)
# ---------------------------------------------------------------------------

SLA_POLICIES = [
    {"code": "STANDARD", "name_id": "Standar", "name_en": "Standard",
     "triage_days": 3, "response_days": 5},
    {"code": "URGENT", "name_id": "Mendesak (keselamatan / layanan dasar terhenti)",
     "name_en": "Urgent (safety / essential service down)",
     "triage_days": 1, "response_days": 1},
    {"code": "INVESTIGATION", "name_id": "Investigasi (pengaduan sensitif)",
     "name_en": "Investigation (sensitive complaints)",
     "triage_days": 3, "response_days": 5},
]

RESOLUTION_CLASSES = {"light": 2, "normative": 5, "standard": 14, "investigation": 60}  # working days


def _cat(code, unit, name_id, name_en, desc_id, desc_en, keywords, sla="STANDARD",
         resolution_class="standard", location_required=True, sensitive=False):
    return {
        "code": code, "name_id": name_id, "name_en": name_en,
        "description_id": desc_id, "description_en": desc_en,
        "keywords": keywords, "unit": unit, "sla": sla, "resolution_class": resolution_class,
        "sensitive": sensitive, "location_required": location_required,
    }


CATEGORIES = [
    # --- city government (general feedback / information) ---
    _cat("SARAN-APRESIASI", "PEMKOT", "Saran & apresiasi layanan", "Suggestions & praise for services",
         "Saran perbaikan atau ucapan terima kasih atas layanan pemerintah kota.",
         "Suggestions for improvement or thanks for a city service.",
         ["saran", "usul", "terima kasih", "apresiasi", "suggestion", "praise", "thanks"],
         resolution_class="light", location_required=False),
    _cat("INFO-PROSEDUR", "PEMKOT", "Informasi prosedur layanan", "Information about service procedures",
         "Pertanyaan tentang syarat, jadwal, biaya atau alur layanan pemerintah kota.",
         "Questions about requirements, opening hours, fees or steps of a city service.",
         ["informasi", "syarat", "prosedur", "jam layanan", "information", "procedure", "how to"],
         resolution_class="light", location_required=False),
    # --- public works (parent) ---
    _cat("PBG-IZIN-BANGUNAN", "DPU", "Izin bangunan (PBG) & tata ruang", "Building permits (PBG) & zoning",
         "Layanan Persetujuan Bangunan Gedung dan bangunan yang diduga melanggar tata ruang.",
         "Building approval (PBG) service and buildings suspected of breaking zoning rules.",
         ["PBG", "IMB", "izin bangunan", "SIMBG", "sempadan", "building permit", "zoning"],
         resolution_class="normative", location_required=False),
    _cat("FASUM-JEMBATAN-TROTOAR", "DPU", "Jembatan, trotoar & fasilitas umum rusak",
         "Damaged bridges, sidewalks & public facilities",
         "Kerusakan jembatan, trotoar, pagar pengaman atau fasilitas umum lain.",
         "Damage to bridges, sidewalks, guard rails or other public facilities.",
         ["jembatan", "trotoar", "pagar", "fasum", "bridge", "sidewalk", "ramp"]),
    # --- roads ---
    _cat("JALAN-RUSAK", "DPU-JALAN", "Jalan rusak / berlubang", "Damaged road / potholes",
         "Jalan berlubang, aspal mengelupas, ambles atau bekas galian yang tidak ditutup.",
         "Potholes, peeling asphalt, subsidence or road cuts that were not restored.",
         ["jalan", "lubang", "aspal", "ambles", "galian", "pothole", "road"]),
    _cat("LAMPU-JALAN", "DPU-JALAN", "Lampu penerangan jalan (PJU)", "Street lighting",
         "Lampu penerangan jalan umum mati, berkedip, tiangnya rusak atau belum tersedia.",
         "Street lights that are out, flickering, damaged or missing.",
         ["lampu jalan", "PJU", "gelap", "tiang lampu", "street light", "lamp", "dark"]),
    # --- drainage ---
    _cat("BANJIR-GENANGAN", "DPU-DRAINASE", "Banjir & genangan", "Flooding & standing water",
         "Banjir atau genangan air di jalan dan permukiman setelah hujan, termasuk tanggul jebol.",
         "Flooding or standing water on roads and in neighbourhoods after rain, including breached embankments.",
         ["banjir", "genangan", "tanggul", "hujan", "flood", "water pooling"],
         sla="URGENT"),
    _cat("SALURAN-TERSUMBAT", "DPU-DRAINASE", "Saluran / got tersumbat atau rusak", "Blocked or damaged drains",
         "Got, gorong-gorong atau saluran air yang mampet, berbau, jebol atau ditutup bangunan.",
         "Gutters, culverts or drains that are blocked, smelly, broken or built over.",
         ["got", "selokan", "gorong-gorong", "mampet", "saluran", "drain", "culvert", "blocked"]),
    # --- health ---
    _cat("PUSKESMAS-LAYANAN", "DINKES", "Layanan puskesmas & posyandu", "Community health centre (puskesmas) services",
         "Antrean, ketersediaan obat, kehadiran tenaga kesehatan dan layanan di puskesmas atau posyandu.",
         "Queues, medicine stock, staff presence and services at puskesmas or posyandu.",
         ["puskesmas", "posyandu", "obat", "bidan", "imunisasi", "health centre", "clinic"],
         resolution_class="normative", location_required=False),
    _cat("DBD-FOGGING", "DINKES", "Demam berdarah, jentik & fogging", "Dengue, mosquito larvae & fogging",
         "Kasus demam berdarah di lingkungan, sarang nyamuk dan permintaan fogging atau PSN.",
         "Dengue cases in a neighbourhood, mosquito breeding sites and requests for fogging.",
         ["DBD", "demam berdarah", "fogging", "jentik", "nyamuk", "dengue", "mosquito"],
         resolution_class="normative"),
    # --- hospital ---
    _cat("RSUD-PELAYANAN", "RSUD", "Antrean & pelayanan rumah sakit daerah", "City hospital queues & service",
         "Antrean poli, IGD, kebersihan bangsal dan sikap petugas di RSUD.",
         "Outpatient queues, emergency room, ward cleanliness and staff conduct at the city hospital.",
         ["RSUD", "rumah sakit", "poli", "IGD", "antre", "bangsal", "hospital", "queue"],
         resolution_class="normative", location_required=False),
    _cat("RSUD-BPJS", "RSUD", "Layanan pasien BPJS / JKN di rumah sakit", "BPJS / JKN patient services at the hospital",
         "Pasien BPJS dimintai biaya, ditolak rawat inap, rujukan atau obat yang tidak ditanggung.",
         "BPJS patients asked to pay, refused admission, referral or medicine coverage problems.",
         ["BPJS", "JKN", "KIS", "rujukan", "rawat inap", "insurance", "referral"],
         resolution_class="normative", location_required=False),
    # --- education ---
    _cat("PPDB", "DISDIK", "Penerimaan peserta didik baru (PPDB)", "School admission (PPDB)",
         "Masalah zonasi, jalur afirmasi, sistem pendaftaran dan pengumuman PPDB.",
         "Zoning, affirmative track, registration system and results of school admission.",
         ["PPDB", "zonasi", "pendaftaran sekolah", "afirmasi", "admission", "enrolment"],
         resolution_class="normative", location_required=False),
    _cat("PUNGUTAN-SEKOLAH", "DISDIK", "Biaya & pungutan sekolah", "School fees & charges",
         "Iuran komite, uang gedung, seragam wajib atau ijazah ditahan di sekolah negeri.",
         "Committee fees, building fees, compulsory uniforms or withheld diplomas at state schools.",
         ["iuran", "komite", "uang gedung", "seragam", "LKS", "ijazah", "school fee"],
         resolution_class="normative", location_required=False),
    _cat("GURU-KBM", "DISDIK", "Guru tidak hadir & kegiatan belajar", "Teacher absence & teaching",
         "Guru sering tidak masuk, jam pelajaran kosong atau kualitas kegiatan belajar mengajar.",
         "Teachers often absent, empty lessons or the quality of teaching.",
         ["guru", "jam kosong", "tidak masuk", "pelajaran", "teacher", "class", "absent"],
         resolution_class="normative", location_required=False),
    _cat("SARPRAS-SEKOLAH", "DISDIK", "Gedung & sarana sekolah rusak", "Damaged school buildings & facilities",
         "Atap bocor, dinding retak, toilet rusak atau sarana sekolah negeri yang tidak layak.",
         "Leaking roofs, cracked walls, broken toilets or unsafe facilities at state schools.",
         ["sekolah", "atap bocor", "kelas", "toilet sekolah", "school building", "classroom"]),
    # --- civil registry ---
    _cat("KTP-EL", "DUKCAPIL", "KTP elektronik (KTP-el)", "Electronic ID card (e-KTP)",
         "Perekaman, pencetakan, perbaikan data dan cetak ulang KTP-el.",
         "Recording, printing, data correction and replacement of e-KTP cards.",
         ["KTP", "KTP-el", "e-KTP", "blangko", "perekaman", "ID card"],
         resolution_class="normative", location_required=False),
    _cat("KK-PINDAH", "DUKCAPIL", "Kartu keluarga & pindah domisili", "Family card & change of residence",
         "Penerbitan atau perubahan Kartu Keluarga dan surat pindah datang/keluar.",
         "Issuing or changing the family card (KK) and moving residence in or out.",
         ["KK", "kartu keluarga", "pindah", "domisili", "family card", "residence"],
         resolution_class="normative", location_required=False),
    _cat("AKTA-CATATAN-SIPIL", "DUKCAPIL", "Akta kelahiran, kematian & catatan sipil",
         "Birth, death & civil records",
         "Penerbitan dan perbaikan akta kelahiran, akta kematian dan akta catatan sipil lain.",
         "Issuing and correcting birth certificates, death certificates and other civil records.",
         ["akta", "akta kelahiran", "akta kematian", "SPTJM", "birth certificate", "death certificate"],
         resolution_class="normative", location_required=False),
    # --- environment ---
    _cat("PENCEMARAN", "DLH", "Pencemaran udara, air & bau", "Air, water & odour pollution",
         "Asap pabrik, pembakaran sampah, debu proyek, limbah cair atau bau menyengat.",
         "Factory smoke, open burning, construction dust, liquid waste or strong odours.",
         ["asap", "polusi", "limbah", "bau", "debu", "pencemaran", "pollution", "smoke"]),
    _cat("KEBISINGAN", "DLH", "Kebisingan", "Noise",
         "Suara bising dari usaha, hiburan malam, proyek atau mesin yang mengganggu warga.",
         "Noise from businesses, nightlife, construction or machinery disturbing residents.",
         ["bising", "berisik", "suara", "karaoke", "noise", "loud"]),
    _cat("POHON-TAMAN", "DLH", "Pohon rawan tumbang & taman kota", "Hazardous trees & city parks",
         "Pohon miring, tumbang atau mengenai kabel, serta perawatan taman kota.",
         "Leaning, fallen or wire-touching trees, and maintenance of city parks.",
         ["pohon", "tumbang", "dahan", "taman", "tree", "park", "branch"],
         sla="URGENT"),
    # --- cleanliness / waste ---
    _cat("SAMPAH-TIDAK-DIANGKUT", "DLH-KEBERSIHAN", "Sampah tidak diangkut", "Garbage not collected",
         "Sampah di TPS, kontainer atau depan rumah tidak diangkut sesuai jadwal.",
         "Garbage at collection points, containers or households not collected on schedule.",
         ["sampah", "TPS", "truk sampah", "gerobak", "kontainer", "garbage", "rubbish"],
         resolution_class="light"),
    _cat("SAMPAH-LIAR", "DLH-KEBERSIHAN", "Pembuangan sampah liar", "Illegal dumping",
         "Sampah atau puing dibuang sembarangan di lahan kosong, pinggir jalan atau sungai.",
         "Garbage or rubble dumped on vacant land, roadsides or rivers.",
         ["buang sampah", "sampah liar", "puing", "sungai", "dumping", "fly-tipping"]),
    # --- transport ---
    _cat("ANGKUTAN-UMUM", "DISHUB", "Angkutan umum (angkot, bus kota, halte)", "Public transport (angkot, city bus, stops)",
         "Angkot ngetem atau ugal-ugalan, tarif, bus kota, rute dan kondisi halte.",
         "Minibuses waiting or driving recklessly, fares, city buses, routes and bus stops.",
         ["angkot", "bus", "halte", "sopir", "tarif", "trayek", "public transport"],
         resolution_class="normative", location_required=False),
    _cat("PARKIR", "DISHUB", "Parkir liar & juru parkir", "Illegal parking & parking attendants",
         "Parkir di badan jalan atau trotoar dan juru parkir tidak resmi atau tarif tidak sesuai.",
         "Parking on the road or sidewalk and unofficial attendants or wrong parking fees.",
         ["parkir", "jukir", "parkir liar", "karcis", "parking"],
         resolution_class="normative"),
    _cat("LALU-LINTAS", "DISHUB", "Lampu lalu lintas & rambu", "Traffic lights & signs",
         "Lampu merah mati atau tidak sinkron, rambu tertutup, usulan zebra cross.",
         "Traffic lights out or badly timed, hidden signs, requests for pedestrian crossings.",
         ["lampu merah", "traffic light", "rambu", "zebra cross", "perempatan", "sign"],
         sla="URGENT"),
    # --- public order ---
    _cat("PKL", "SATPOLPP", "Pedagang kaki lima (PKL) & penggunaan trotoar", "Street vendors & sidewalk use",
         "Lapak pedagang kaki lima yang menutup trotoar atau jalan dan penataannya.",
         "Street vendor stalls blocking sidewalks or roads, and their arrangement.",
         ["PKL", "pedagang", "lapak", "trotoar", "street vendor", "stall"],
         resolution_class="normative"),
    _cat("KETERTIBAN-UMUM", "SATPOLPP", "Gangguan ketertiban umum", "Public order disturbances",
         "Balap liar, miras, keributan, bangunan liar dan pelanggaran peraturan daerah.",
         "Illegal racing, public drinking, disturbances, squatter buildings and by-law violations.",
         ["balap liar", "miras", "mabuk", "ribut", "bangunan liar", "public order"],
         resolution_class="normative"),
    _cat("REKLAME", "SATPOLPP", "Reklame, spanduk & baliho liar", "Illegal billboards & banners",
         "Spanduk, poster atau baliho tanpa izin, membahayakan atau menutup rambu.",
         "Banners, posters or billboards without permit, unsafe or covering signs.",
         ["spanduk", "baliho", "reklame", "poster", "billboard", "banner"],
         resolution_class="normative"),
    # --- social affairs ---
    _cat("BANSOS", "DINSOS", "Penyaluran bantuan sosial", "Social aid distribution",
         "Bantuan sosial (BPNT, PKH, beras) tidak tepat sasaran, belum cair atau penyalurannya bermasalah.",
         "Social aid (food aid, PKH, rice) mistargeted, not disbursed or badly distributed.",
         ["bansos", "BPNT", "PKH", "beras", "bantuan", "social aid"],
         location_required=False),
    _cat("DTKS", "DINSOS", "Data kesejahteraan sosial (DTKS)", "Social welfare database (DTKS)",
         "Pendaftaran, pencoretan dan pemutakhiran data keluarga miskin di DTKS.",
         "Registration, removal and updating of poor households in the welfare database.",
         ["DTKS", "data", "miskin", "KIS", "terdaftar", "welfare database"],
         resolution_class="normative", location_required=False),
    _cat("PMKS", "DINSOS", "Warga terlantar, ODGJ & anak jalanan", "Neglected persons, homeless & street children",
         "Lansia terlantar, orang dengan gangguan jiwa di jalan, gelandangan dan anak jalanan.",
         "Neglected elderly, people with mental illness on the streets, homeless people and street children.",
         ["ODGJ", "gelandangan", "pengemis", "lansia", "terlantar", "homeless", "beggar"],
         resolution_class="normative"),
    # --- water utility ---
    _cat("AIR-MATI", "PDAM", "Air tidak mengalir / mati", "No water supply",
         "Air ledeng mati, hanya mengalir malam hari atau tekanannya sangat kecil.",
         "Piped water off, running only at night or with very low pressure.",
         ["air mati", "air ledeng", "kran", "tekanan", "tangki", "no water", "tap"],
         sla="URGENT"),
    _cat("KUALITAS-AIR", "PDAM", "Kualitas air buruk", "Poor water quality",
         "Air ledeng keruh, berbau, berpasir atau mengandung kotoran.",
         "Tap water that is cloudy, smelly, sandy or contaminated.",
         ["keruh", "bau", "kaporit", "kotor", "cloudy", "brown water", "quality"]),
    _cat("TAGIHAN-AIR", "PDAM", "Tagihan & sambungan air", "Water billing & connections",
         "Tagihan air tidak wajar, meteran rusak, balik nama dan pemutusan sambungan.",
         "Unusual water bills, faulty meters, change of account holder and disconnection.",
         ["tagihan", "meteran", "rekening air", "balik nama", "bill", "meter"],
         resolution_class="normative", location_required=False),
    _cat("PIPA-BOCOR", "PDAM", "Pipa air bocor", "Leaking water pipes",
         "Pipa distribusi bocor atau pecah dan bekas galian perbaikan pipa yang tidak ditutup.",
         "Leaking or burst water mains and unrestored pipe-repair trenches.",
         ["pipa", "bocor", "pecah", "muncrat", "leak", "burst pipe"],
         sla="URGENT", resolution_class="light"),
    # --- sensitive: oversight only ---
    _cat("PUNGLI", "INSPEKTORAT", "Pungutan liar (pungli)", "Illegal levies (pungli)",
         "Permintaan uang tidak resmi oleh petugas atau pihak yang mengatasnamakan pemerintah.",
         "Unofficial payments demanded by officials or people acting in the government's name.",
         ["pungli", "uang pelicin", "setor", "potongan", "illegal levy", "extortion"],
         sla="INVESTIGATION", resolution_class="investigation", location_required=False, sensitive=True),
    _cat("KORUPSI-SUAP", "INSPEKTORAT", "Korupsi, suap & gratifikasi", "Corruption, bribery & gratuities",
         "Dugaan suap, gratifikasi, mark-up proyek atau penyelewengan anggaran.",
         "Suspected bribery, gratuities, inflated project costs or misuse of budget.",
         ["korupsi", "suap", "gratifikasi", "mark-up", "proyek", "bribery", "corruption"],
         sla="INVESTIGATION", resolution_class="investigation", location_required=False, sensitive=True),
    _cat("PENYALAHGUNAAN-WEWENANG", "INSPEKTORAT", "Penyalahgunaan wewenang", "Abuse of power",
         "Pejabat atau petugas memakai jabatan atau fasilitas negara untuk kepentingan pribadi.",
         "Officials using their position or state facilities for personal gain.",
         ["wewenang", "jabatan", "mobil dinas", "oknum", "abuse of power"],
         sla="INVESTIGATION", resolution_class="investigation", location_required=False, sensitive=True),
    _cat("PERILAKU-PETUGAS", "INSPEKTORAT", "Pelanggaran etik & perilaku petugas", "Officer misconduct",
         "Intimidasi, pelecehan atau pelanggaran disiplin dan kode etik oleh aparatur.",
         "Intimidation, harassment or breaches of discipline and ethics by public servants.",
         ["intimidasi", "pelecehan", "ancam", "etik", "misconduct", "harassment"],
         sla="INVESTIGATION", resolution_class="investigation", location_required=False, sensitive=True),
]

# ---------------------------------------------------------------------------
# Streets of Kota Sukamaju (fictional). lat/lng is the approximate centre.
# ---------------------------------------------------------------------------

KECAMATAN = ["Sukamaju Barat", "Sukamaju Timur", "Cempakasari", "Kaliasri", "Mergosari"]

STREETS = [
    {"name": "Jl. Merdeka", "kelurahan": "Sukamaju", "kecamatan": "Sukamaju Barat", "lat": -7.2571, "lng": 110.4021},
    {"name": "Jl. Pahlawan", "kelurahan": "Sukamaju", "kecamatan": "Sukamaju Barat", "lat": -7.2602, "lng": 110.3968},
    {"name": "Jl. Diponegoro", "kelurahan": "Karangsari", "kecamatan": "Sukamaju Barat", "lat": -7.2498, "lng": 110.3874},
    {"name": "Jl. Kartini", "kelurahan": "Karangsari", "kecamatan": "Sukamaju Barat", "lat": -7.2455, "lng": 110.3921},
    {"name": "Jl. Melati Raya", "kelurahan": "Tegalrejo", "kecamatan": "Sukamaju Barat", "lat": -7.2687, "lng": 110.3795},
    {"name": "Jl. Sukamaju Raya", "kelurahan": "Wonoasri", "kecamatan": "Sukamaju Timur", "lat": -7.2544, "lng": 110.4233},
    {"name": "Jl. Flamboyan", "kelurahan": "Wonoasri", "kecamatan": "Sukamaju Timur", "lat": -7.2489, "lng": 110.4302},
    {"name": "Jl. Anggrek II", "kelurahan": "Bendosari", "kecamatan": "Sukamaju Timur", "lat": -7.2612, "lng": 110.4377},
    {"name": "Jl. Gatot Subroto", "kelurahan": "Bendosari", "kecamatan": "Sukamaju Timur", "lat": -7.2680, "lng": 110.4289},
    {"name": "Jl. Stasiun", "kelurahan": "Pandanarum", "kecamatan": "Sukamaju Timur", "lat": -7.2421, "lng": 110.4155},
    {"name": "Jl. Kenanga", "kelurahan": "Mekarsari", "kecamatan": "Cempakasari", "lat": -7.2285, "lng": 110.4012},
    {"name": "Jl. Cendrawasih", "kelurahan": "Mekarsari", "kecamatan": "Cempakasari", "lat": -7.2251, "lng": 110.4108},
    {"name": "Jl. Imam Bonjol", "kelurahan": "Sidomakmur", "kecamatan": "Cempakasari", "lat": -7.2169, "lng": 110.3942},
    {"name": "Jl. Pasar Lama", "kelurahan": "Sidomakmur", "kecamatan": "Cempakasari", "lat": -7.2320, "lng": 110.3889},
    {"name": "Gg. Mawar", "kelurahan": "Krajan Kidul", "kecamatan": "Cempakasari", "lat": -7.2377, "lng": 110.4047},
    {"name": "Jl. Raya Kaliasri", "kelurahan": "Kaliasri", "kecamatan": "Kaliasri", "lat": -7.2788, "lng": 110.4412},
    {"name": "Jl. Kali Bening", "kelurahan": "Kaliasri", "kecamatan": "Kaliasri", "lat": -7.2835, "lng": 110.4438},
    {"name": "Jl. Veteran", "kelurahan": "Sumberwangi", "kecamatan": "Kaliasri", "lat": -7.2744, "lng": 110.4461},
    {"name": "Jl. Terminal", "kelurahan": "Sumberwangi", "kecamatan": "Kaliasri", "lat": -7.2712, "lng": 110.4548},
    {"name": "Jl. Lingkar Selatan", "kelurahan": "Jatimulyo", "kecamatan": "Mergosari", "lat": -7.2901, "lng": 110.4102},
    {"name": "Jl. Raya Mergosari", "kelurahan": "Mergosari", "kecamatan": "Mergosari", "lat": -7.2856, "lng": 110.3851},
    {"name": "Jl. Wahid Hasyim", "kelurahan": "Mergosari", "kecamatan": "Mergosari", "lat": -7.2810, "lng": 110.3772},
    {"name": "Jl. Bougenville", "kelurahan": "Jatimulyo", "kecamatan": "Mergosari", "lat": -7.2877, "lng": 110.3996},
    {"name": "Jl. Sawo Kecik", "kelurahan": "Pasirluhur", "kecamatan": "Mergosari", "lat": -7.2761, "lng": 110.3687},
    {"name": "Jl. Perintis Kemerdekaan", "kelurahan": "Pasirluhur", "kecamatan": "Mergosari", "lat": -7.2705, "lng": 110.3644},
    {"name": "Jl. Gajah Mada", "kelurahan": "Pandanarum", "kecamatan": "Sukamaju Timur", "lat": -7.2398, "lng": 110.4261},
]

KELURAHAN = sorted({s["kelurahan"] for s in STREETS})

# ---------------------------------------------------------------------------
# Complaint base texts (hand-written). Placeholders filled per variant:
#   {jl} street, {kel} kelurahan, {kec} kecamatan, {rt} {rw} {no},
#   {n} small number (2-6), {n2} larger number (7-20), {jam} time, {hari}/{day} weekday.
# Each base is expanded into _REPS variants with a different place/time.
# ---------------------------------------------------------------------------

C, F, I = "complaint", "feedback", "information_request"

_BASES = [
    # ---------------- JALAN-RUSAK ----------------
    ("JALAN-RUSAK", C, "id", "Jalan berlubang di {jl} dekat SD",
     "Jalan di {jl} depan SD negeri sudah berlubang besar2, dalamnya kira-kira sejengkal. Kalau hujan lubangnya ketutup air jadi gak kelihatan, kemarin ada ibu-ibu bonceng anak jatuh dari motor. Sudah {n} bulan begini belum ada perbaikan sama sekali."),
    ("JALAN-RUSAK", C, "id", "Aspal {jl} mengelupas parah",
     "Aspal di {jl} RT {rt}/RW {rw} ngelupas dan tinggal batu kerikil. Tiap ada truk lewat debunya kemana-mana, warung2 pinggir jalan jadi kotor. Dulu katanya mau diaspal ulang tahun lalu tapi sampai sekarang nggak ada kabar."),
    ("JALAN-RUSAK", C, "id", "Lubang bekas galian kabel di {jl} tidak ditutup",
     "Ada galian kabel di {jl} kira2 {n} minggu lalu, habis itu cuma diurug tanah seadanya. Sekarang ambles jadi lubang memanjang hampir 5 meter. Malam hari bahaya banget krn lampu di situ juga redup."),
    ("JALAN-RUSAK", C, "id", "Jalan kampung RT {rt} rusak tidak pernah diperbaiki",
     "Jalan masuk kampung kami di RT {rt}/RW {rw} Kel. {kel} sudah rusak dari jaman saya SMA. Paving blocknya pada copot, kalau hujan becek dan licin. Warga sudah usul lewat musrenbang {n} kali tapi gak tembus2. Mohon dimasukkan prioritas tahun ini."),
    ("JALAN-RUSAK", C, "id", "Jalan ambles dekat gorong-gorong {jl}",
     "Jalan di {jl} ambles sebagian dekat gorong-gorong, retaknya makin lebar tiap hari. Warga sudah pasang ban bekas dan batang pisang sebagai tanda. Takut kalau dibiarkan bisa putus jalannya, ini jalur utama anak sekolah."),
    ("JALAN-RUSAK", C, "id", "TOLONG jalan {jl} sudah kayak kubangan kerbau",
     "Ini jalan apa kolam ikan?? {jl} dari pertigaan sampai jembatan lubangnya sudah gak kehitung. Saya sudah {n} kali ganti velg motor gara2 lubang di sini. Pajak kami bayar tiap tahun tapi jalannya begini terus. Kecewa berat."),
    ("JALAN-RUSAK", C, "en", "Deep potholes on {jl}",
     "There are several deep potholes along {jl} near the petrol station. I ride this road every morning around {jam} and cars swerve into the opposite lane to avoid them. It has been like this for at least {n} months. Please patch them before someone gets hurt."),
    ("JALAN-RUSAK", C, "en", "Road resurfacing left unfinished on {jl}",
     "The resurfacing work on {jl} stopped halfway about {n} weeks ago. One lane is new asphalt and the other is still gravel, with a step of about 10 cm between them. Motorbikes keep slipping at the edge. Is the contractor coming back?"),
    ("JALAN-RUSAK", I, "id", "Jadwal perbaikan jalan {jl}",
     "Mau tanya, apakah {jl} masuk jadwal perbaikan tahun ini? Soalnya {hari} kemarin ada petugas ukur-ukur jalan tapi warga tidak dikasih tahu apa-apa. Kalau ada jadwalnya tolong diumumkan ke RT/RW biar warga bisa siap2."),
    ("JALAN-RUSAK", F, "id", "Jalan {jl} sekarang mulus, terima kasih",
     "Mau bilang makasih, jalan {jl} yang dulu rusak parah sekarang sudah dicor beton dan mulus. Warga RW {rw} senang sekali, anak sekolah lebih aman. Cuma tolong marka jalannya dicat juga ya biar lebih tertib."),
    # ---------------- LAMPU-JALAN ----------------
    ("LAMPU-JALAN", C, "id", "Lampu PJU mati di {jl}",
     "Lampu penerangan jalan di {jl} sudah mati {n} minggu, ada sekitar 4 tiang berturut-turut yang padam. Jalannya jadi gelap gulita, kemarin ada kejadian jambret HP di situ jam {jam} malam. Tolong segera diganti lampunya."),
    ("LAMPU-JALAN", C, "id", "Lampu jalan nyala siang hari di {jl}",
     "Lampu jalan di {jl} depan masjid malah nyala terus siang hari, tapi kalo malam kadang mati kadang hidup. Kayaknya sensornya rusak. Sayang listriknya, mohon dicek."),
    ("LAMPU-JALAN", C, "id", "Gang RT {rt} gelap, minta tambahan lampu jalan",
     "Gang di RT {rt}/RW {rw} Kel. {kel} panjangnya kurang lebih 200 meter tapi tidak ada lampu jalan sama sekali. Warga sudah patungan pasang lampu dari rumah masing2 tapi tidak cukup. Anak-anak pulang ngaji lewat situ, orang tua jadi khawatir."),
    ("LAMPU-JALAN", C, "id", "Tiang lampu miring hampir roboh di {jl}",
     "Tiang lampu jalan di {jl} miring banget setelah ketabrak truk {n} hari lalu. Kabelnya juga menjuntai ke bawah, takut nyetrum kalau hujan. Mohon segera diamankan sebelum ada korban."),
    ("LAMPU-JALAN", C, "en", "Street lights out on {jl}",
     "Most of the street lights on {jl} between the mosque and the bridge have been off for about {n} weeks. The stretch is pitch dark at night and there have been motorbike thefts nearby. Please fix them."),
    ("LAMPU-JALAN", C, "en", "Flickering street lamp outside house no. {no}",
     "The street lamp in front of house no. {no} on {jl} flickers all night, on and off every few seconds. It is very annoying and basically useless as lighting. Could someone replace the bulb or the ballast?"),
    ("LAMPU-JALAN", F, "id", "Lampu jalan tenaga surya di {jl} sangat membantu",
     "Sejak dipasang lampu jalan tenaga surya di {jl}, jalan jadi terang dan warga berani lewat malam. Terima kasih. Saran saja, tolong dicek rutin karena ada satu panel yang sudah miring kena angin."),
    # ---------------- BANJIR-GENANGAN ----------------
    ("BANJIR-GENANGAN", C, "id", "Banjir tiap hujan di {jl}",
     "Setiap hujan deras lebih dari setengah jam, {jl} depan minimarket pasti banjir setinggi lutut. Motor banyak yang mogok, air juga masuk ke rumah warga RT {rt}. Sudah {n} tahun begini, tolong dicari solusinya."),
    ("BANJIR-GENANGAN", C, "id", "Air masuk rumah warga RW {rw} semalam",
     "Semalam jam {jam} air masuk ke rumah-rumah di RW {rw} Kel. {kel}, tingginya sampai 40 cm di dalam rumah. Kasur, kulkas, buku anak sekolah basah semua. Kami butuh pompa atau perbaikan saluran secepatnya, warga sudah capek ngepel tiap minggu."),
    ("BANJIR-GENANGAN", C, "id", "Genangan di turunan {jl} bikin macet",
     "Genangan di jalan turunan {jl} gak surut2 sampai berjam-jam habis hujan. Mobil kecil nekat lewat terus mogok di tengah, jadinya macet panjang. Katanya di situ ada pompa tapi gak pernah dinyalakan."),
    ("BANJIR-GENANGAN", C, "id", "Tanggul kali di belakang RT {rt} jebol",
     "Tanggul kali di belakang RT {rt}/RW {rw} jebol sepanjang kurang lebih 6 meter waktu hujan hari {hari} kemarin. Kalau hujan besar lagi pasti air langsung masuk kampung. Warga sudah tumpuk karung pasir tapi cuma darurat."),
    ("BANJIR-GENANGAN", C, "en", "Flooding on {jl} after every rain",
     "{jl} floods knee-deep every time it rains for more than 30 minutes. The water takes hours to drain and pours into the shops along the road. This has been happening for {n} years and it is getting worse."),
    ("BANJIR-GENANGAN", C, "en", "Water pooling outside the school on {jl}",
     "After rain there is a huge pool of muddy water right at the gate of the primary school on {jl}. Kids have to wade through it to get in and it stays for two days. Please do something about the drainage here."),
    # ---------------- SALURAN-TERSUMBAT ----------------
    ("SALURAN-TERSUMBAT", C, "id", "Got mampet penuh sampah di {jl}",
     "Got di sepanjang {jl} mampet total, isinya sampah plastik sama lumpur. Airnya hitam dan bau busuk sekali, nyamuk banyak. Sudah {n} bulan tidak pernah dikeruk."),
    ("SALURAN-TERSUMBAT", C, "id", "Gorong-gorong tersumbat di RT {rt}",
     "Gorong-gorong di bawah jalan masuk RT {rt}/RW {rw} ketutup lumpur, air got jadi balik ke arah rumah warga. Kami sudah kerja bakti tapi alatnya tidak sampai ke dalam. Perlu alat berat atau mobil sedot."),
    ("SALURAN-TERSUMBAT", C, "id", "Tutup saluran jebol di trotoar {jl}",
     "Tutup saluran (grill beton) di trotoar {jl} depan toko bangunan pecah dan bolong. Sudah ada yg kejeblos kakinya {hari} kemarin, sampai berdarah. Tolong diganti sebelum ada korban lagi."),
    ("SALURAN-TERSUMBAT", C, "id", "Saluran ditutup cor ruko baru di {jl}",
     "Saluran air di {jl} ditutup cor-coran sama ruko yang baru dibangun, jadi air dari atas gak bisa ngalir. Akibatnya kampung di belakangnya jadi sering tergenang. Apa boleh saluran umum ditutup begitu?"),
    ("SALURAN-TERSUMBAT", C, "en", "Blocked drain causing stench on {jl}",
     "The open drain along {jl} has been blocked for {n} weeks. The water is black and stagnant and the smell is unbearable, especially in the afternoon. Mosquitoes everywhere. When will it be dredged?"),
    ("SALURAN-TERSUMBAT", C, "en", "Collapsed drain wall near house {no}",
     "The side wall of the drainage channel near house no. {no} on {jl} collapsed into the channel. Now the water overflows onto the road every time it rains and the road edge is starting to crack."),
    ("SALURAN-TERSUMBAT", F, "id", "Normalisasi saluran berhasil, RT {rt} tidak banjir lagi",
     "Terima kasih untuk pengerukan saluran di RT {rt}/RW {rw} bulan lalu. Hujan deras {hari} kemarin air langsung surut, biasanya sudah masuk rumah. Semoga dirawat rutin dan warga juga tidak buang sampah ke got."),
    # ---------------- PBG-IZIN-BANGUNAN ----------------
    ("PBG-IZIN-BANGUNAN", I, "id", "Syarat dan lama proses PBG rumah tinggal",
     "Selamat siang, saya mau bangun rumah 2 lantai di Kel. {kel}. Mau tanya syarat PBG (dulu IMB) apa saja dan berapa lama prosesnya? Apakah harus pakai konsultan gambar atau boleh gambar sendiri?"),
    ("PBG-IZIN-BANGUNAN", C, "id", "Pengajuan PBG tidak ada kabar {n} bulan",
     "Saya mengajukan PBG lewat aplikasi SIMBG sejak {n} bulan lalu, statusnya 'verifikasi' terus. Sudah telp ke kantor katanya tunggu saja. Padahal tukang sudah siap kerja, saya rugi sewa alat dan bahan sudah dibeli."),
    ("PBG-IZIN-BANGUNAN", C, "id", "Bangunan tanpa papan izin di {jl}",
     "Ada bangunan 3 lantai sedang dibangun di {jl} yang mepet sekali ke jalan, kayaknya melanggar garis sempadan. Tidak ada papan izin di depannya, kerja sampai malam. Mohon dicek perizinannya."),
    ("PBG-IZIN-BANGUNAN", I, "en", "Building permit for a small shop extension",
     "I want to add a small shop at the front of my house in {kel}. Do I need a full PBG for a 3 x 4 m extension or is there a simpler process? And roughly how much is the retribution fee?"),
    ("PBG-IZIN-BANGUNAN", C, "en", "Permit application returned again and again",
     "My PBG application has been returned for revision {n} times, each time with a different comment from a different reviewer. Nobody explains what exactly is missing. Can someone give me one complete list of corrections?"),
    # ---------------- FASUM-JEMBATAN-TROTOAR ----------------
    ("FASUM-JEMBATAN-TROTOAR", C, "id", "Jembatan kayu di RW {rw} lapuk",
     "Jembatan penyeberangan kali di RW {rw} Kel. {kel} papannya sudah lapuk dan ada yang bolong. Tiap hari dipakai anak sekolah dan ibu2 ke pasar. Pegangan sampingnya juga sudah goyang, ngeri."),
    ("FASUM-JEMBATAN-TROTOAR", C, "id", "Trotoar {jl} rusak dan tidak rata",
     "Trotoar di {jl} banyak ubin yang pecah dan naik turun karena akar pohon. Pejalan kaki apalagi orang tua susah lewat, akhirnya jalan di aspal. Kemarin nenek tetangga saya kesandung sampai lututnya luka."),
    ("FASUM-JEMBATAN-TROTOAR", C, "id", "Pagar jembatan {jl} patah",
     "Pagar pengaman jembatan di {jl} patah kira-kira 3 meter sejak ditabrak mobil {n} minggu lalu. Sekarang cuma dikasih tali rafia. Bahaya banget buat pengendara motor malam hari, di bawahnya sungai."),
    ("FASUM-JEMBATAN-TROTOAR", C, "en", "Broken sidewalk slabs on {jl}",
     "Several sidewalk slabs on {jl} are cracked or missing, leaving holes big enough to trip in. I almost broke my ankle last week. Please repair the sidewalk, lots of students walk here."),
    ("FASUM-JEMBATAN-TROTOAR", C, "en", "No ramps on the new sidewalk",
     "The newly built sidewalk on {jl} has high curbs at every corner and no ramps. My father uses a wheelchair and cannot use it at all. Please add ramps at the crossings."),
    # ---------------- PUSKESMAS-LAYANAN ----------------
    ("PUSKESMAS-LAYANAN", C, "id", "Antrean puskesmas {kel} lama banget",
     "Saya datang ke Puskesmas {kel} jam 7 pagi buat periksa anak yang demam, baru dipanggil jam 11. Loket pendaftaran cuma dibuka satu. Mohon ditambah petugas, kasihan pasien yang sakit harus nunggu lama di kursi plastik."),
    ("PUSKESMAS-LAYANAN", C, "id", "Obat hipertensi di puskesmas sering kosong",
     "Sudah {n} kali saya ke Puskesmas {kel} buat ambil obat darah tinggi bapak saya, tapi obatnya kosong terus, disuruh beli sendiri di apotek. Padahal itu obat rutin program prolanis. Gimana ini?"),
    ("PUSKESMAS-LAYANAN", C, "id", "Dokter puskesmas tidak ada di jam praktek",
     "Hari {hari} kemarin jam 9 pagi di Puskesmas {kel} katanya dokternya belum datang, pasien cuma diperiksa perawat. Sampai jam 11 dokternya tetep gak ada. Ini bukan sekali dua kali."),
    ("PUSKESMAS-LAYANAN", I, "id", "Jadwal imunisasi balita di posyandu RW {rw}",
     "Mau tanya jadwal imunisasi campak-rubela untuk balita di wilayah Kel. {kel} kapan ya? Di posyandu RW {rw} belum ada pengumuman. Apakah bisa langsung datang ke puskesmas saja?"),
    ("PUSKESMAS-LAYANAN", C, "en", "Rude staff at the health centre registration desk",
     "The registration staff at the {kel} health centre shouted at an elderly woman who forgot the photocopy of her family card. It was humiliating to watch. Please remind staff to be patient with patients."),
    ("PUSKESMAS-LAYANAN", F, "en", "Thank you to the {kel} puskesmas midwives",
     "I want to thank the midwives at Puskesmas {kel} who helped my wife give birth at {jam} in the middle of the night. They were calm, kind and explained everything. Great service."),
    # ---------------- DBD-FOGGING ----------------
    ("DBD-FOGGING", C, "id", "Minta fogging, sudah {n} warga kena DB",
     "Di RT {rt}/RW {rw} Kel. {kel} dalam 2 minggu ini sudah ada {n} warga yang kena demam berdarah, satu anak masih dirawat. Kami mohon segera dilakukan fogging dan pemeriksaan jentik dari rumah ke rumah."),
    ("DBD-FOGGING", C, "id", "Kolam rumah kosong jadi sarang nyamuk",
     "Ada rumah kosong di {jl} dengan kolam yang airnya menggenang dan hijau, jentik nyamuknya banyak sekali. Tetangga sekitar sudah ada yang kena DBD. Pemiliknya tidak tinggal di sini, tidak bisa dihubungi."),
    ("DBD-FOGGING", I, "id", "Cara mengajukan fogging untuk RT {rt}",
     "Bagaimana prosedur mengajukan fogging untuk RT {rt} kami? Apakah harus ada kasus positif DBD dulu dari rumah sakit? Warga mau iuran juga boleh kalau memang perlu biaya solar."),
    ("DBD-FOGGING", C, "en", "Dengue cases in RT {rt}",
     "Two children in RT {rt}/RW {rw} were hospitalised with dengue this month. We have not seen any health workers checking for larvae. Can fogging and a larvae inspection be scheduled soon?"),
    # ---------------- RSUD-PELAYANAN ----------------
    ("RSUD-PELAYANAN", C, "id", "Antre poli jantung RSUD dari subuh",
     "Bapak saya kontrol ke poli jantung RSUD, kami datang jam 5 subuh ambil nomor tapi baru diperiksa jam 2 siang. Ruang tunggu penuh, banyak yang berdiri. Apa tidak bisa pakai sistem janji temu online yang beneran jalan?"),
    ("RSUD-PELAYANAN", C, "id", "Pasien IGD dibiarkan lama tanpa dokter",
     "Ibu saya dibawa ke IGD rumah sakit daerah jam {jam} dengan sesak napas, tapi hampir 2 jam cuma dipasang oksigen tanpa diperiksa dokter. Katanya dokternya lagi nangani pasien lain. Kami sangat kecewa dan panik."),
    ("RSUD-PELAYANAN", C, "id", "Kamar mandi bangsal kelas 3 kotor",
     "Kamar mandi di bangsal kelas 3 lantai {n} kotor sekali, lantai licin, kran bocor dan tidak ada sabun. Pasien dan penunggu pakai bersama. Tolong diperhatikan kebersihannya, ini rumah sakit lho."),
    ("RSUD-PELAYANAN", C, "en", "Online appointment at the hospital not honoured",
     "I registered online for the neurology clinic at the city hospital, but when I arrived at {jam} they said the online quota was not valid and I had to queue from the start. Why have an online system if it is not honoured?"),
    ("RSUD-PELAYANAN", F, "en", "Praise for the hospital dialysis unit",
     "My mother has dialysis twice a week at the city hospital. The nurses in the hemodialysis unit are consistently friendly and on time, even on {day}s when it is busy. Please pass on our thanks."),
    ("RSUD-PELAYANAN", F, "id", "Satpam dan perawat IGD sigap",
     "Mau apresiasi satpam dan perawat IGD RSUD yang sigap bantu waktu anak saya kejang {hari} malam. Belum sempat daftar sudah langsung ditangani. Semoga pelayanannya selalu seperti ini."),
    # ---------------- RSUD-BPJS ----------------
    ("RSUD-BPJS", C, "id", "Pasien BPJS disuruh tebus obat sendiri",
     "Saya pasien BPJS kelas 3, waktu pulang rawat inap disuruh tebus obat sendiri di apotek luar katanya obatnya tidak ditanggung. Totalnya hampir 600 ribu. Bukannya harusnya ditanggung semua?"),
    ("RSUD-BPJS", C, "id", "Ditolak rawat inap alasan kamar BPJS penuh",
     "Anak saya disuruh rawat inap oleh dokter IGD tapi kata petugas kamar BPJS penuh, disarankan naik kelas dan bayar selisih. Kami tidak mampu, suami cuma kuli bangunan. Apakah benar harus begitu?"),
    ("RSUD-BPJS", I, "id", "Masa berlaku rujukan BPJS ke poli mata",
     "Mau tanya, kalau punya rujukan dari puskesmas untuk poli mata di RSUD, rujukannya berlaku berapa lama? Dan apakah harus daftar online dulu atau bisa langsung datang pagi?"),
    ("RSUD-BPJS", C, "en", "Extra payment asked despite BPJS",
     "My father is a BPJS member and was told to pay Rp 1.2 million for a 'special' surgical kit, which staff said BPJS does not cover. Nobody could show us the rule. Is this allowed?"),
    ("RSUD-BPJS", C, "en", "BPJS patient sent home after 3 days",
     "Staff told us that BPJS only covers 3 days of inpatient care and my uncle had to go home even though he still could not walk. Is there really such a rule?"),
    # ---------------- PPDB ----------------
    ("PPDB", C, "id", "Tidak diterima zonasi padahal rumah dekat sekolah",
     "Rumah kami cuma 400 meter dari SMP negeri di Kel. {kel}, tapi anak saya tidak diterima jalur zonasi. Yang diterima malah ada yang rumahnya jauh, katanya numpang KK saudara. Mohon diperiksa datanya."),
    ("PPDB", C, "id", "Website PPDB error saat upload dokumen",
     "Website PPDB error terus dari jam {jam}, tidak bisa upload kartu keluarga, muncul tulisan 'server busy'. Padahal hari ini terakhir pendaftaran jalur afirmasi. Mohon diperpanjang waktunya atau dibantu manual."),
    ("PPDB", I, "id", "Jadwal dan syarat usia PPDB SD",
     "Mohon info jadwal PPDB SD negeri tahun ini kapan dibuka, dan syarat usia minimalnya berapa? Anak saya nanti usianya 6 tahun {n} bulan pas tahun ajaran baru."),
    ("PPDB", C, "en", "Zoning distance measured wrongly",
     "The PPDB system measured our home as 2.3 km from the junior high school, but on the map it is only about 800 m. It seems the pin was placed at the {kel} kelurahan office instead of our house. How can we correct this before the announcement?"),
    ("PPDB", I, "en", "PPDB quota for children of transferred workers",
     "We are moving to Sukamaju in {n} weeks because of my job transfer. Is there a PPDB quota for children whose parents were transferred, and what documents are needed?"),
    # ---------------- PUNGUTAN-SEKOLAH ----------------
    ("PUNGUTAN-SEKOLAH", C, "id", "Iuran komite SD negeri memberatkan",
     "SD negeri tempat anak saya sekolah minta iuran komite 150 ribu per bulan plus uang gedung 1,5 juta. Katanya SD negeri gratis? Kami orang tua tidak diajak rapat, tiba-tiba dapat surat tagihan lewat anak."),
    ("PUNGUTAN-SEKOLAH", C, "id", "Wajib beli seragam dan LKS di koperasi sekolah",
     "Anak saya baru masuk SMP negeri, diwajibkan beli paket seragam 5 stel dan LKS di koperasi sekolah total 1,2 juta. Tidak boleh beli di luar. Apa ini dibolehkan? Kakaknya masih ada seragam lama padahal."),
    ("PUNGUTAN-SEKOLAH", C, "id", "Ijazah ditahan karena tunggakan",
     "Ijazah anak saya ditahan sekolah karena masih ada tunggakan uang kegiatan 800 ribu. Anak saya butuh ijazah untuk daftar kerja di pabrik minggu depan. Mohon bantuannya, kami belum ada uang."),
    ("PUNGUTAN-SEKOLAH", C, "en", "Mandatory study tour fee at a state school",
     "Our child's state junior high school announced a mandatory study tour costing Rp 3.5 million. Parents who cannot pay were told their kids would get no grade for the 'project'. Is this allowed?"),
    # ---------------- GURU-KBM ----------------
    ("GURU-KBM", C, "id", "Guru kelas 4 sering tidak masuk",
     "Guru kelas 4 di SD negeri dekat {jl} dalam sebulan ini sering nggak masuk, anak-anak cuma dikasih tugas nyatat dari buku. Kata anak saya sudah {n} kali minggu ini. Kami orang tua khawatir ketinggalan pelajaran."),
    ("GURU-KBM", C, "id", "Banyak jam pelajaran kosong di SMP",
     "Anak saya cerita di SMP banyak jam kosong karena gurunya rapat atau ada urusan lain. Bisa sampai {n} jam pelajaran sehari tanpa guru, anak-anak main HP di kelas. Mohon diawasi."),
    ("GURU-KBM", C, "en", "Teacher absent for weeks without substitute",
     "My daughter's maths teacher at the state senior high school has been absent for {n} weeks and no substitute has been assigned. The class just sits in the room. Exams are coming up."),
    ("GURU-KBM", F, "en", "Appreciation for a dedicated teacher",
     "I want to commend the grade 6 teacher at the state primary school on {jl} who stays after school for free extra lessons for struggling kids. Teachers like this deserve recognition."),
    # ---------------- SARPRAS-SEKOLAH ----------------
    ("SARPRAS-SEKOLAH", C, "id", "Atap kelas SD di {jl} bocor hampir ambruk",
     "Atap ruang kelas 2 dan 3 di SD negeri {jl} bocor parah, plafonnya sudah jebol sebagian. Kalau hujan anak-anak dipindah ke perpustakaan. Takut tiba-tiba ambruk pas jam pelajaran."),
    ("SARPRAS-SEKOLAH", C, "id", "Toilet siswa SMP rusak",
     "Toilet siswa di SMP negeri dekat {jl} cuma 2 yang bisa dipakai untuk 600 murid, sisanya rusak dan airnya mati. Anak perempuan terpaksa menahan sampai pulang. Kasihan bgt."),
    ("SARPRAS-SEKOLAH", C, "en", "Cracked walls at primary school on {jl}",
     "There are large cracks in the walls of the classroom block at the state primary school on {jl} since the small earthquake {n} weeks ago. Parents are worried. Has anyone inspected it?"),
    # ---------------- KTP-EL ----------------
    ("KTP-EL", C, "id", "KTP-el belum jadi sudah {n} bulan",
     "Saya rekam KTP-el sejak {n} bulan lalu di kantor Kec. {kec}, sampai sekarang cuma dapat surat keterangan. Tiap ditanya jawabnya blangko habis. Padahal saya butuh buat buka rekening dan daftar kerja."),
    ("KTP-EL", C, "id", "Antrean perekaman KTP dibatasi 30 nomor",
     "Di kantor capil cuma dilayani 30 nomor antrean per hari, saya sudah datang jam 6 pagi tetep gak kebagian. Sudah {n} kali bolak-balik, izin kerja terus dipotong gaji. Mohon ditambah kuota atau buka layanan keliling."),
    ("KTP-EL", C, "id", "Tanggal lahir di KTP salah cetak",
     "Tanggal lahir di KTP saya salah, harusnya 12 tapi tertulis 21. Waktu mau perbaiki disuruh bawa surat pengantar dari RT, RW, kelurahan {kel}. Kenapa kesalahan petugas harus warga yang repot?"),
    ("KTP-EL", I, "id", "Syarat cetak ulang KTP hilang",
     "Dompet saya hilang berikut KTP waktu naik angkot {hari} kemarin. Apa syarat cetak ulang KTP-el? Apakah harus ada surat kehilangan dari polsek dan apakah ada biayanya?"),
    ("KTP-EL", C, "en", "E-KTP still not printed after {n} months",
     "I recorded my e-KTP data {n} months ago and I am still using a temporary certificate. Banks keep refusing it. Every time I ask, they say the blank cards have not arrived. When will it be printed?"),
    ("KTP-EL", I, "en", "E-KTP recording for a bedridden parent",
     "My mother is bedridden after a stroke and cannot come to the office for e-KTP recording. Is there a home-visit service in {kel}, and how do we request it?"),
    ("KTP-EL", F, "id", "Layanan jemput bola KTP untuk lansia",
     "Terima kasih untuk petugas yang datang ke rumah di Kel. {kel} untuk rekam KTP ibu saya yang sudah stroke. Pelayanannya sabar dan cepat, tidak dipungut apa-apa. Semoga layanan seperti ini terus ada."),
    # ---------------- KK-PINDAH ----------------
    ("KK-PINDAH", C, "id", "Urus surat pindah dipersulit",
     "Saya urus surat pindah dari Kel. {kel} ke kota lain, sudah {n} kali datang tapi selalu ada kurang syarat yang beda2 tiap petugas. Mohon ada daftar syarat yang jelas dan sama untuk semua loket."),
    ("KK-PINDAH", C, "id", "KK baru tidak bisa dicetak, status menunggu TTE",
     "Saya sudah ajukan perubahan KK karena nambah anggota keluarga (anak lahir) {n} minggu lalu. Katanya bisa cetak mandiri pakai kertas HVS tapi di aplikasi statusnya masih 'menunggu TTE'. Kapan selesainya?"),
    ("KK-PINDAH", I, "en", "How to add a newborn to the family card",
     "How do I add my newborn to our Kartu Keluarga? Can I do it online or must I come to the office? We live in {kel} and both of us work on weekdays."),
    ("KK-PINDAH", C, "en", "Family card printed with wrong data",
     "Our new family card printed my wife's education and religion incorrectly, although it was correct on the old one. We need it fixed within {n} weeks for her job application."),
    # ---------------- AKTA-CATATAN-SIPIL ----------------
    ("AKTA-CATATAN-SIPIL", C, "id", "Akta kelahiran anak belum terbit {n} minggu",
     "Akta kelahiran anak saya belum terbit padahal sudah diajukan lewat aplikasi {n} minggu lalu, semua berkas lengkap. Kami perlu buat daftar BPJS dan nanti sekolah. Tolong dibantu."),
    ("AKTA-CATATAN-SIPIL", C, "id", "Akta kematian almarhum ayah lama prosesnya",
     "Sudah {n} minggu mengurus akta kematian almarhum ayah, belum selesai juga. Kami butuh untuk urus pensiun ibu dan warisan. Petugas bilang servernya sering down, tapi masa tiap hari down?"),
    ("AKTA-CATATAN-SIPIL", I, "id", "Akta kelahiran untuk anak lahir di rumah",
     "Anak saya lahir di rumah dibantu dukun bayi, tidak ada surat keterangan lahir dari bidan. Bagaimana cara bikin akta kelahirannya? Apa bisa pakai SPTJM saja?"),
    ("AKTA-CATATAN-SIPIL", C, "en", "Birth certificate with misspelled name",
     "My son's birth certificate spells his name 'Muhamad' instead of 'Muhammad'. We applied for correction {n} weeks ago but have heard nothing. The school needs the exact name."),
    ("AKTA-CATATAN-SIPIL", F, "en", "Fast online birth certificate service",
     "Just wanted to say the online birth certificate service was impressive. We applied on a {day} and downloaded the certificate two days later, together with the updated family card. Keep it up!"),
    # ---------------- PENCEMARAN ----------------
    ("PENCEMARAN", C, "id", "Asap pabrik di {jl} bikin sesak napas",
     "Cerobong pabrik di {jl} tiap malam sekitar jam {jam} keluarin asap hitam pekat dan bau menyengat. Warga RT {rt} banyak yang batuk, anak-anak sesak. Sudah berlangsung {n} bulan."),
    ("PENCEMARAN", C, "id", "Pembakaran sampah plastik tiap sore",
     "Ada warga yang bakar sampah plastik tiap sore di lahan kosong {jl}. Asapnya masuk rumah-rumah, bau plastik terbakar, jemuran jadi bau. Sudah ditegur baik-baik tapi gak digubris."),
    ("PENCEMARAN", C, "id", "Debu truk tanah proyek perumahan",
     "Truk-truk tanah proyek perumahan lewat {jl} tanpa ditutup terpal, debunya beterbangan ke rumah dan warung makan. Jalan juga jadi kotor penuh tanah, licin kalau hujan. Mohon ditegur kontraktornya."),
    ("PENCEMARAN", C, "en", "Black smoke from factory chimney near {jl}",
     "A factory near {jl} releases thick black smoke most evenings. The smell of burning rubber reaches houses several hundred metres away. My child's asthma has gotten worse. Please check their emissions."),
    ("PENCEMARAN", C, "en", "Tofu factory dumping liquid waste",
     "A home tofu factory on {jl} dumps its liquid waste straight into the drain. The sour, rotten smell is terrible, especially in the afternoon heat, and the stream behind RT {rt} has turned white and foamy."),
    # ---------------- KEBISINGAN ----------------
    ("KEBISINGAN", C, "id", "Bengkel las di {jl} bising sampai malam",
     "Bengkel las di {jl} kerja sampai jam 11 malam, suara gerinda dan palu kenceng banget. Bayi tetangga sampai nggak bisa tidur. Sudah {n} bulan, ditegur malah marah-marah."),
    ("KEBISINGAN", C, "id", "Karaoke ruko berisik sampai jam 2 pagi",
     "Tempat karaoke di ruko {jl} bunyi musiknya tembus sampai rumah warga RT {rt} tiap malam sampe jam 2. Kami harus kerja pagi. Apa mereka punya izin dan peredam suara?"),
    ("KEBISINGAN", C, "en", "Construction noise after midnight",
     "A construction site on {jl} is pouring concrete and running machines past midnight several nights a week. Nobody in RT {rt} can sleep. Are there no rules on working hours?"),
    ("KEBISINGAN", C, "en", "Loud diesel generator behind a cafe",
     "A cafe on {jl} runs a diesel generator behind its building every night, right next to our bedroom wall. The noise and fumes have been constant for {n} weeks."),
    # ---------------- POHON-TAMAN ----------------
    ("POHON-TAMAN", C, "id", "Pohon besar miring mau tumbang di {jl}",
     "Pohon angsana besar di {jl} miring ke arah jalan, akarnya sudah keangkat. Kalau ada angin kencang goyang2. Di bawahnya ada warung dan tempat parkir motor. Mohon segera dipangkas atau ditebang."),
    ("POHON-TAMAN", C, "id", "Dahan pohon kena kabel listrik",
     "Dahan pohon di depan rumah no {no} {jl} sudah menyentuh kabel listrik, kalau hujan suka ada percikan api. Takut konslet atau kebakaran, anak-anak sering main di situ."),
    ("POHON-TAMAN", C, "id", "Taman dekat {jl} kumuh dan gelap",
     "Taman di dekat {jl} sekarang kumuh, rumputnya tinggi, bangku rusak, lampu taman banyak yang mati. Malam dipakai nongkrong anak2 mabuk. Dulu taman ini bagus, sayang gak dirawat."),
    ("POHON-TAMAN", C, "en", "Fallen tree blocking {jl}",
     "A large tree fell across {jl} during last night's storm and is still blocking half the road. Residents moved some branches, but the trunk is too big. Please send a team with chainsaws."),
    ("POHON-TAMAN", F, "en", "Suggestion: shade trees along {jl}",
     "Suggestion: the new stretch of {jl} has no trees at all and is extremely hot for pedestrians at midday. Please consider planting shade trees along the sidewalk."),
    # ---------------- SAMPAH-TIDAK-DIANGKUT ----------------
    ("SAMPAH-TIDAK-DIANGKUT", C, "id", "Sampah di TPS dekat {jl} tidak diangkut {n} hari",
     "Sampah di TPS dekat {jl} sudah {n} hari gak diangkut, numpuk sampai ke badan jalan. Baunya sampai ke masjid, lalat banyak banget. Biasanya truk datang tiap pagi, sekarang gak ada kabar."),
    ("SAMPAH-TIDAK-DIANGKUT", C, "id", "Gerobak sampah tidak lewat RT {rt}",
     "Gerobak sampah di RT {rt}/RW {rw} sudah seminggu ini gak lewat. Warga sudah bayar iuran kebersihan tiap bulan. Sampah rumah tangga numpuk di depan rumah, mulai dikoyak kucing dan anjing."),
    ("SAMPAH-TIDAK-DIANGKUT", C, "id", "Kontainer sampah pasar {kel} meluber",
     "Kontainer sampah di belakang Pasar {kel} meluber, sampahnya sampai ke saluran dan jalan. Truk pengangkut cuma datang 2 hari sekali padahal volume sampah pasar banyak banget, apalagi sayur busuk."),
    ("SAMPAH-TIDAK-DIANGKUT", C, "id", "Karung sampah kerja bakti belum diambil",
     "Hari Minggu kemarin warga RW {rw} kerja bakti bersihin saluran, sampahnya sudah dikarungin dan dikumpulkan di pinggir {jl}. Sudah dijanjikan mau diambil truk tapi sampai sekarang belum. Karungnya mulai sobek."),
    ("SAMPAH-TIDAK-DIANGKUT", C, "en", "Garbage not collected for {n} days",
     "Household garbage in our street ({jl}) has not been collected for {n} days. Bags are piling up at the roadside and stray dogs are tearing them open. We pay the monthly fee."),
    ("SAMPAH-TIDAK-DIANGKUT", F, "en", "Thanks to the street sweepers on {jl}",
     "Shout-out to the orange-uniformed street sweepers on {jl}. They start before 5 a.m. and the road is spotless every morning. Maybe they deserve better equipment and raincoats."),
    ("SAMPAH-TIDAK-DIANGKUT", I, "en", "Disposing of an old mattress and sofa",
     "How can I dispose of an old mattress and a broken sofa? Is there a bulky-waste collection day in {kel}, or do I need to bring them to the TPS myself?"),
    # ---------------- SAMPAH-LIAR ----------------
    ("SAMPAH-LIAR", C, "id", "Lahan kosong di {jl} jadi tempat buang sampah",
     "Lahan kosong di {jl} dijadikan tempat buang sampah liar. Banyak orang dari luar kampung buang sampah naik motor malam-malam. Sekarang sudah setinggi orang dan bau sekali, banyak tikus."),
    ("SAMPAH-LIAR", C, "id", "Kasur dan popok dibuang ke kali RW {rw}",
     "Sungai di belakang RW {rw} Kel. {kel} penuh sampah kasur, plastik, popok bayi. Orang buang dari atas jembatan. Tolong dipasang papan larangan dan CCTV, terus dibersihkan."),
    ("SAMPAH-LIAR", C, "id", "Puing bangunan dibuang di pinggir {jl}",
     "Ada truk buang puing bangunan di pinggir {jl} dekat sawah, sudah {n} kali. Sekarang jalan jadi sempit dan motor susah papasan. Plat nomornya sempat kami foto."),
    ("SAMPAH-LIAR", C, "en", "Illegal dump along the railway near {jl}",
     "An illegal dump has formed along the railway fence near {jl}. People throw bags there from motorbikes at night. It is now blocking the footpath and attracting rats."),
    ("SAMPAH-LIAR", C, "en", "Used syringes dumped on a vacant plot",
     "We found used syringes and infusion bags dumped on a vacant plot on {jl}. Children play there after school. This looks like clinic waste. Please clean it up and find who did it."),
    # ---------------- ANGKUTAN-UMUM ----------------
    ("ANGKUTAN-UMUM", C, "id", "Angkot ngetem lama di depan SMP {jl}",
     "Angkot jurusan Terminal–{kel} selalu ngetem lama di depan SMP di {jl}, bikin macet pas jam masuk sekolah. Kadang sampe 15 menit. Tolong ditertibkan."),
    ("ANGKUTAN-UMUM", C, "id", "Sopir angkot ugal-ugalan dan minta ongkos lebih",
     "Sopir angkot jalur 0{n} tadi jam {jam} ngebut dan nyalip sembarangan, terus minta ongkos 10 ribu padahal jaraknya dekat. Tarif resmi kan tidak segitu. Nomor lambungnya sempat saya catat."),
    ("ANGKUTAN-UMUM", C, "id", "Halte bus {jl} rusak dan dipakai jualan",
     "Halte bus di {jl} atapnya bolong, bangkunya hilang, sekarang malah dipakai jualan pedagang. Penumpang nunggu bus kepanasan di pinggir jalan."),
    ("ANGKUTAN-UMUM", I, "id", "Jam operasional bus kota lewat {kel}",
     "Mau tanya, bus kota Trans Sukamaju yang lewat {kel} itu beroperasi sampai jam berapa? Dan apakah bisa bayar pakai QRIS atau harus pakai kartu?"),
    ("ANGKUTAN-UMUM", C, "en", "City bus skips the stop at {jl}",
     "The Trans Sukamaju bus frequently does not stop at the {jl} shelter even when people are waiting and waving. I have missed it {n} times this month and been late to work."),
    ("ANGKUTAN-UMUM", F, "en", "Suggestion: bus route to the hospital",
     "Suggestion: please add a city bus route that passes the city hospital. Many elderly patients from {kel} now pay expensive ojek fares to get to their check-ups."),
    # ---------------- PARKIR ----------------
    ("PARKIR", C, "id", "Parkir liar di depan ruko {jl}",
     "Tiap sore parkir mobil dan motor di depan ruko {jl} sampai makan setengah jalan. Tukang parkirnya gak pakai rompi resmi. Jalan jadi macet sampai perempatan."),
    ("PARKIR", C, "id", "Tukang parkir minimarket di {jl}",
     "Di minimarket {jl} ada tukang parkir minta 3 ribu, padahal ada tulisan parkir gratis. Kalau gak dikasih mukanya galak. Ini resmi atau tidak?"),
    ("PARKIR", C, "id", "Motor parkir di trotoar depan sekolah",
     "Trotoar di {jl} penuh motor parkir, pejalan kaki terpaksa jalan di aspal. Padahal itu daerah sekolah, bahaya buat anak-anak yang pulang jam {jam}."),
    ("PARKIR", C, "en", "Market parking attendant gives no ticket",
     "The parking attendant at the market on {jl} charges Rp 5,000 for a motorbike and never gives a ticket. The official rate is lower. Where does this money go?"),
    ("PARKIR", C, "en", "Double parking at the wedding hall on {jl}",
     "Every weekend the wedding hall on {jl} has cars double-parked on both sides, completely blocking traffic for hours. No officers ever come."),
    # ---------------- LALU-LINTAS ----------------
    ("LALU-LINTAS", C, "id", "Lampu merah perempatan {jl} mati",
     "Lampu lalu lintas di perempatan {jl} mati sejak {hari} kemarin. Kendaraan saling serobot, tadi pagi hampir ada tabrakan motor sama pikap. Mohon segera diperbaiki."),
    ("LALU-LINTAS", C, "id", "Durasi lampu hijau dari arah {jl} terlalu pendek",
     "Lampu hijau dari arah {jl} cuma 15 detik, antreannya bisa sampai 500 meter kalo jam pulang kantor. Sementara arah lain sepi tapi hijaunya lama. Tolong diatur ulang."),
    ("LALU-LINTAS", C, "id", "Rambu dilarang masuk tertutup dahan",
     "Rambu dilarang masuk di ujung {jl} ketutup dahan pohon, jadi banyak pengendara dari luar yang salah masuk jalur searah. Sering hampir tabrakan."),
    ("LALU-LINTAS", C, "en", "Traffic light stuck on red at {jl}",
     "The traffic light at the {jl} junction has been stuck on red for one direction since {jam} this morning. Drivers are running it anyway. Someone will get hurt."),
    ("LALU-LINTAS", C, "en", "Pedestrian crossing needed near school",
     "There is no zebra crossing or pedestrian light near the school on {jl}. Kids cross between speeding motorbikes every morning. Please install a crossing with a signal."),
    # ---------------- PKL ----------------
    ("PKL", C, "id", "PKL menutup trotoar {jl}",
     "Pedagang kaki lima di {jl} buka lapak sampai makan semua trotoar dan sebagian jalan. Tiap sore macet, pejalan kaki gak ada tempat. Tolong ditata, kasihan juga pedagangnya kalau digusur, mungkin dipindah ke tempat yang layak."),
    ("PKL", C, "id", "Lapak depan Pasar {kel} makin maju ke jalan",
     "Lapak-lapak di depan Pasar {kel} makin maju ke tengah jalan, angkot gak bisa lewat. Sudah pernah direlokasi ke dalam pasar tapi pada balik lagi ke depan."),
    ("PKL", C, "id", "Warung tenda tidak dibongkar siang hari",
     "Warung tenda malam di {jl} buang minyak dan sisa makanan ke got, terus tendanya gak dibongkar siang hari. Trotoar jadi kotor dan licin."),
    ("PKL", C, "en", "Food stalls occupying the whole sidewalk",
     "Food stalls on {jl} now occupy the entire sidewalk from afternoon to midnight. Pedestrians have to walk in traffic. Please enforce the rules or move them to a proper area."),
    ("PKL", F, "id", "Penataan PKL di {jl} sudah rapi",
     "Sekarang PKL di {jl} sudah ditata rapi dengan tenda seragam dan trotoar bersih. Salut, penertibannya tanpa ribut-ribut. Semoga tempat lain di Kec. {kec} menyusul."),
    # ---------------- KETERTIBAN-UMUM ----------------
    ("KETERTIBAN-UMUM", C, "id", "Balap liar tiap malam Minggu di {jl}",
     "Tiap malam Minggu jam 1-3 pagi ada balap liar di {jl}. Knalpot brong bikin warga gak bisa tidur, dan sudah pernah ada yang nabrak pagar rumah. Mohon dipatroli."),
    ("KETERTIBAN-UMUM", C, "id", "Pemuda mabuk di pos ronda RT {rt}",
     "Pos ronda di RT {rt}/RW {rw} sering dipakai nongkrong anak muda minum miras sampai pagi, kadang ribut dan teriak-teriak. Warga takut menegur."),
    ("KETERTIBAN-UMUM", C, "id", "Bangunan liar di bantaran kali dekat {jl}",
     "Ada bangunan semi permanen baru didirikan di bantaran kali dekat {jl}, makin lama makin banyak. Katanya disewakan oleh oknum. Mohon ditertibkan sebelum makin banyak."),
    ("KETERTIBAN-UMUM", C, "en", "Illegal racing on {jl} every weekend",
     "Every Saturday night there is illegal motorbike racing on {jl} from around 1 to 3 a.m. The noise is unbearable and spectators block the road. Please send patrols."),
    ("KETERTIBAN-UMUM", C, "en", "Drinking and gambling at a vacant lot",
     "A group gathers at the vacant lot on {jl} almost every night to drink and gamble. There have been fights. Residents of RT {rt} are afraid to go out after dark."),
    # ---------------- REKLAME ----------------
    ("REKLAME", C, "id", "Spanduk dan poster dipaku di pohon {jl}",
     "Banyak spanduk dan poster dipaku di pohon-pohon sepanjang {jl}, ada yang sudah robek dan nutup rambu. Kelihatan kumuh sekali. Kasihan pohonnya juga."),
    ("REKLAME", C, "id", "Baliho besar miring dan berkarat",
     "Baliho besar di pinggir {jl} rangka besinya sudah karatan dan miring. Kalau angin kencang berderit-derit. Di bawahnya tempat ojol mangkal. Apa baliho ini ada izinnya?"),
    ("REKLAME", C, "en", "New billboards hide the speed limit sign",
     "Two new billboards on {jl} completely block the view of the speed limit sign and the junction ahead. They went up about {n} days ago without any notice."),
    # ---------------- BANSOS ----------------
    ("BANSOS", C, "id", "Bansos tidak tepat sasaran di RT {rt}",
     "Di RT {rt}/RW {rw} Kel. {kel} yang dapat bansos malah yang punya mobil dan rumah bagus, sementara mbah janda tetangga saya yang hidup sendiri gak dapat apa-apa. Tolong didata ulang yang bener."),
    ("BANSOS", C, "id", "Saldo BPNT {n} bulan tidak masuk",
     "Saya penerima BPNT tapi sudah {n} bulan saldonya tidak masuk. Di e-warong bilang kosong. Tanya ke kelurahan disuruh tanya ke dinas. Kami bingung harus kemana, anak-anak butuh makan."),
    ("BANSOS", C, "id", "Beras bantuan berkutu dan kurang timbangan",
     "Beras bantuan yang dibagikan minggu lalu di balai RW {rw} berkutu dan baunya apek. Ada juga yang beratnya kurang dari 10 kg, ditimbang cuma 8,5. Mohon dicek penyalurnya."),
    ("BANSOS", C, "en", "Chaotic aid distribution at the {kel} hall",
     "The food aid distribution at the {kel} kelurahan hall on {day} was chaos. Elderly people queued in the sun for 4 hours and two of them fainted. Please organise it better, with numbers and shade."),
    ("BANSOS", I, "en", "How to register an elderly widow for aid",
     "My neighbour in {kel} is an elderly widow with no income. How can she be registered to receive social assistance? Does she need to go to the kelurahan herself, or can we apply for her?"),
    ("BANSOS", F, "en", "Well-organised aid distribution in {kel}",
     "The last food aid distribution at the {kel} hall was well organised, with queue numbers, chairs and drinking water. A big improvement compared to before. Thank you to the staff."),
    # ---------------- DTKS ----------------
    ("DTKS", C, "id", "Keluarga dicoret dari DTKS tanpa alasan",
     "Keluarga saya tiba-tiba dicoret dari DTKS, padahal kondisi ekonomi tidak berubah, suami saya masih buruh harian lepas. Akibatnya KIS kami tidak aktif pas anak sakit. Mohon dicek kembali."),
    ("DTKS", I, "id", "Cara cek status terdaftar DTKS",
     "Bagaimana cara cek apakah keluarga kami sudah terdaftar di DTKS? Di aplikasi cek bansos NIK saya tidak ditemukan, padahal tahun lalu masih dapat bantuan."),
    ("DTKS", C, "id", "Usulan DTKS dari musyawarah kelurahan tidak masuk",
     "Kami sudah mengusulkan {n2} keluarga miskin di RW {rw} lewat musyawarah Kel. {kel} sejak tahun lalu, tapi tidak ada satupun yang masuk data. Tolong dijelaskan prosesnya sampai mana."),
    ("DTKS", C, "en", "Dropped from the welfare database after moving RT",
     "After we moved from one RT to another within {kel}, our family disappeared from the welfare database (DTKS). Our health insurance subsidy stopped {n} months ago. How do we get re-listed?"),
    # ---------------- PMKS ----------------
    ("PMKS", C, "id", "ODGJ berkeliaran di sekitar {jl}",
     "Ada orang dengan gangguan jiwa berkeliaran di sekitar {jl} sudah {n} minggu, tidur di emperan toko. Kadang ngamuk dan lempar batu ke motor. Kasihan, mohon dibawa dan dirawat."),
    ("PMKS", C, "id", "Nenek hidup sendiri tidak terurus di RT {rt}",
     "Ada nenek umur 80an di RT {rt}/RW {rw} Kel. {kel} hidup sendirian di rumah reyot, anaknya merantau tidak ada kabar. Makan dari belas kasihan tetangga. Mohon ada bantuan dari pemerintah."),
    ("PMKS", C, "id", "Anak-anak mengemis di lampu merah {jl}",
     "Di lampu merah {jl} sekarang banyak manusia silver dan anak-anak kecil minta-minta sampai malam, kadang maksa ngetuk kaca mobil. Kasihan anak-anaknya, harusnya sekolah. Mohon ditangani."),
    ("PMKS", C, "en", "Homeless family sleeping at the bus shelter",
     "A family with two small children has been sleeping at the bus shelter on {jl} for about a week. They say they were evicted. Can social services help them?"),
    # ---------------- AIR-MATI ----------------
    ("AIR-MATI", C, "id", "Air mati sudah {n} hari di RW {rw}",
     "Air kran di RW {rw} Kel. {kel} mati total sudah {n} hari tanpa pemberitahuan. Kami terpaksa beli air galon buat mandi dan masak. Tolong kirim tangki air dulu kalau memang perbaikannya lama."),
    ("AIR-MATI", C, "id", "Air cuma ngalir tengah malam di {jl}",
     "Di {jl} air ngalir cuma jam 1 sampai 4 pagi, itupun kecil. Warga harus begadang nampung air di ember. Sudah {n} bulan kayak gini tapi tagihan tetap normal."),
    ("AIR-MATI", C, "id", "Gangguan air tanpa pemberitahuan",
     "Kemarin air mati dari pagi sampai malam di {jl}, ternyata ada perbaikan pipa. Kenapa tidak ada pemberitahuan dulu? Minimal umumkan lewat WA grup RT atau medsos supaya warga bisa nampung."),
    ("AIR-MATI", C, "id", "Tekanan air kecil, tidak naik ke toren",
     "Air di rumah kami di {jl} tekanannya kecil banget, tidak naik ke toren. Tetangga sebelah juga sama. Sejak ada perumahan baru di atas jadi begini, sudah {n} bulan."),
    ("AIR-MATI", C, "en", "No piped water for {n} days",
     "Our house on {jl} has had no piped water for {n} days. Nobody answers the hotline. We have a newborn at home and are buying water in jerry cans. Please at least send a water truck."),
    ("AIR-MATI", C, "en", "Tap water only runs after midnight",
     "In our area ({kel}) the tap water only runs between midnight and 4 a.m., and weakly. We have been filling buckets at night for {n} weeks."),
    # ---------------- KUALITAS-AIR ----------------
    ("KUALITAS-AIR", C, "id", "Air kran keruh seperti teh",
     "Air yang keluar dari kran di {jl} warnanya coklat keruh seperti teh, kadang ada pasirnya. Baunya kaporit menyengat. Gak berani dipakai masak, cuci baju putih aja jadi kekuningan."),
    ("KUALITAS-AIR", C, "id", "Ada cacing kecil di air ledeng",
     "Tadi pagi di bak mandi kami ada cacing-cacing merah kecil dari air ledeng. Tetangga di RT {rt} juga sama. Ini bahaya untuk kesehatan, tolong dicek pipanya."),
    ("KUALITAS-AIR", C, "en", "Brown, rusty water from the tap",
     "For the past {n} days the tap water in our street ({jl}) comes out brown and smells of rust. We cannot use it for cooking or for bathing the baby."),
    # ---------------- TAGIHAN-AIR ----------------
    ("TAGIHAN-AIR", C, "id", "Tagihan air naik 5 kali lipat",
     "Tagihan air bulan ini 480 ribu, biasanya cuma 90 ribu. Rumah isinya 3 orang dan tidak ada kebocoran. Kayaknya meterannya tidak dibaca, cuma ditaksir. Mohon dicek ulang."),
    ("TAGIHAN-AIR", C, "id", "Meteran air macet tapi tetap ditagih",
     "Meteran air di rumah saya macet sudah {n} bulan, sudah lapor tapi belum diganti. Tagihan tetap keluar pakai angka rata-rata. Kapan meterannya diganti?"),
    ("TAGIHAN-AIR", I, "id", "Prosedur balik nama langganan air",
     "Rumah yang saya beli di Kel. {kel} masih atas nama pemilik lama untuk langganan air. Bagaimana prosedur balik namanya, dan apa ada biayanya?"),
    ("TAGIHAN-AIR", C, "en", "Still billed after disconnection request",
     "I requested disconnection of my water connection when I moved out {n} months ago, but I am still receiving monthly bills and now a late fee. Please close the account."),
    ("TAGIHAN-AIR", I, "en", "Paying the water bill online",
     "Can I pay my water bill through a mobile banking app or an e-wallet? What is the customer number format, and is there an admin fee?"),
    ("TAGIHAN-AIR", F, "id", "Bayar rekening air lewat aplikasi praktis",
     "Sekarang bayar rekening air bisa lewat aplikasi dan minimarket, praktis sekali, gak perlu antre di loket lagi. Terima kasih. Usul, notifikasi tagihan dikirim juga lewat WA."),
    # ---------------- PIPA-BOCOR ----------------
    ("PIPA-BOCOR", C, "id", "Pipa bocor muncrat di {jl}",
     "Pipa air di pinggir {jl} bocor, airnya muncrat dan ngalir di jalan sudah {n} hari. Jalannya sampai berlumut dan licin. Sayang air bersih terbuang percuma."),
    ("PIPA-BOCOR", C, "id", "Galian perbaikan pipa dibiarkan terbuka",
     "Habis perbaikan pipa di depan rumah no {no} {jl}, galiannya dibiarkan terbuka dan cuma ditutup seng. Sudah seminggu. Mohon dikembalikan seperti semula."),
    ("PIPA-BOCOR", C, "en", "Burst water main flooding {jl}",
     "A water main has burst on {jl} near the mosque. Clean water has been gushing onto the road since about {jam} this morning. Please send a repair crew quickly."),
    # ---------------- SARAN-APRESIASI ----------------
    ("SARAN-APRESIASI", F, "id", "Terima kasih, laporan saya cepat ditangani",
     "Saya mau apresiasi, laporan saya minggu lalu soal lubang di {jl} sudah ditambal dalam 3 hari. Semoga responnya selalu secepat ini. Terima kasih untuk petugas di lapangan."),
    ("SARAN-APRESIASI", F, "id", "Usul notifikasi status laporan lewat WhatsApp",
     "Usul saja, aplikasi pengaduan ini sebaiknya kirim notifikasi lewat WhatsApp kalau status laporan berubah. Kebanyakan warga di Kel. {kel} jarang buka email."),
    ("SARAN-APRESIASI", F, "id", "Mal Pelayanan Publik sangat membantu",
     "Pelayanan di Mal Pelayanan Publik sangat bagus, ruangan dingin, antrian pakai nomor, petugasnya ramah. Saya urus {n} dokumen dalam sehari. Semoga dipertahankan."),
    ("SARAN-APRESIASI", F, "id", "Usul car free day diperluas ke kecamatan lain",
     "Saran untuk pemkot: car free day tiap Minggu pagi sangat ramai dan bermanfaat, bagaimana kalau diperluas ke Kec. {kec} biar warga pinggiran juga bisa ikut olahraga."),
    ("SARAN-APRESIASI", F, "en", "Public services have clearly improved",
     "I have lived in Sukamaju for {n2} years and public services have clearly improved. Queues are shorter and staff are friendlier. Thank you."),
    ("SARAN-APRESIASI", F, "en", "Suggestion: publish monthly complaint statistics",
     "Please publish a short monthly summary of complaints per district, for example how many in {kec} were fixed. It would build trust in the system."),
    # ---------------- INFO-PROSEDUR ----------------
    ("INFO-PROSEDUR", I, "id", "Jam pelayanan kantor pemkot selama bulan puasa",
     "Mohon info jam pelayanan kantor-kantor pemkot selama bulan puasa. Apakah tetap buka sampai jam 4 sore atau pulang lebih awal? Saya mau urus berkas hari {hari}."),
    ("INFO-PROSEDUR", I, "id", "Tempat legalisir fotokopi dokumen",
     "Saya perlu legalisir fotokopi beberapa dokumen untuk melamar kerja. Ke kantor mana saya harus pergi dan apa ada biayanya? Butuhnya {n} hari lagi."),
    ("INFO-PROSEDUR", I, "id", "Bisa lapor langsung di kantor kelurahan?",
     "Orang tua saya tidak bisa pakai HP. Apakah bisa menyampaikan pengaduan langsung di kantor Kel. {kel} dan nanti diinput oleh petugas?"),
    ("INFO-PROSEDUR", I, "id", "Izin acara tujuhbelasan dengan tutup jalan",
     "RW {rw} mau adakan acara tujuhbelasan dengan panggung dan tutup jalan sebagian. Izin ke mana saja yang harus diurus dan berapa hari sebelumnya?"),
    ("INFO-PROSEDUR", I, "en", "Which office handles which service?",
     "I am new to Sukamaju and live in {kel}. Is there a list of which office handles which services, for example where to ask about business licences and where about residency documents?"),
    ("INFO-PROSEDUR", I, "en", "How long until a complaint is answered?",
     "How many working days does it usually take for a complaint to get a response? I submitted one about my street {n} days ago and it still says 'submitted'."),
]

_REPS = 2  # variants generated per base text

# Hand-written one-off complaints: sensitive reports (oversight only) and named
# complaints whose text contains fictional personal data (to exercise masking).
# "street" is an index into STREETS, used when the category needs a location.
_SINGLES = [
    # ---------------- sensitive: PUNGLI ----------------
    {"category": "PUNGLI", "kind": C, "language": "id",
     "title": "Dimintai uang pelicin saat urus KTP di kecamatan",
     "description": "Waktu saya urus KTP di kantor kecamatan, ada oknum petugas yang bilang kalau mau cepat jadi bayar 150 ribu, kalau tidak ya tunggu blangko entah kapan. Saya bayar karena butuh buat kerja. Ternyata tetangga saya juga diminta hal yang sama. Tidak ada kuitansi."},
    {"category": "PUNGLI", "kind": C, "language": "id",
     "title": "Penerima bansos diminta setor 20 ribu",
     "description": "Di balai RW kami, penerima bansos diminta setor 20 ribu per orang oleh oknum yang ngaku panitia, katanya buat 'uang transport'. Yang tidak bayar diancam namanya dicoret bulan depan. Kami orang kecil takut protes."},
    {"category": "PUNGLI", "kind": C, "language": "id",
     "title": "Bantuan PKH dipotong setiap pencairan",
     "description": "Setiap pencairan PKH, pendamping minta 50 ribu dari tiap ibu-ibu penerima, alasannya uang administrasi dan fotokopi. Sudah berlangsung hampir setahun. Kami takut lapor karena takut dikeluarkan dari program. Mohon identitas saya dirahasiakan."},
    {"category": "PUNGLI", "kind": C, "language": "id",
     "title": "Sopir truk dipalak di pos timbang",
     "description": "Saya sopir truk pasir, setiap lewat pos di pintu masuk kota selalu dimintai 20-50 ribu tanpa karcis oleh petugas berseragam. Kalau tidak mau, surat-surat dicari-cari kesalahannya sampai berjam-jam."},
    {"category": "PUNGLI", "kind": C, "language": "en", "contains_personal_data": True,
     "title": "Officer asked for cash to speed up business licence",
     "description": "When I applied for a business licence, a staff member at the service desk said the process takes two months unless I paid Rp 500,000 'for the team'. He wrote his WhatsApp number 0811-2233-4455 on a piece of paper and told me to message him. I did not pay and my application is still pending."},
    # ---------------- sensitive: KORUPSI-SUAP ----------------
    {"category": "KORUPSI-SUAP", "kind": C, "language": "id",
     "title": "Dugaan mark-up proyek saluran di kampung",
     "description": "Proyek saluran di kampung kami nilainya di papan proyek 480 juta, tapi yang dikerjakan cuma 200 meter pakai batu kali seadanya dan sudah retak dalam sebulan. Warga curiga ada main antara pejabat dinas dan kontraktor. Foto-foto ada di kami."},
    {"category": "KORUPSI-SUAP", "kind": C, "language": "id",
     "title": "Bayar jutaan agar diterima di SMP favorit",
     "description": "Saya dengar langsung dari beberapa orang tua bahwa ada yang bayar 5 sampai 10 juta ke oknum di sekolah supaya anaknya diterima di SMP negeri favorit lewat 'jalur belakang'. Anak saya yang nilainya bagus dan rumahnya dekat malah tidak diterima."},
    {"category": "KORUPSI-SUAP", "kind": C, "language": "id",
     "title": "Setor 25 juta untuk jadi tenaga honorer",
     "description": "Adik saya diminta menyetor 25 juta ke seseorang yang mengaku orang dalam kantor dinas agar bisa diangkat jadi tenaga honorer lalu PPPK. Beberapa orang di kampung sudah setor tapi sampai sekarang tidak ada SK-nya."},
    {"category": "KORUPSI-SUAP", "kind": C, "language": "en",
     "title": "Supplier sends envelopes to procurement officials",
     "description": "I work for a supplier. Before every tender our boss sends expensive gifts and 'envelopes' to officials on the procurement team, and we somehow always win. I want to report this but I need my identity protected."},
    {"category": "KORUPSI-SUAP", "kind": C, "language": "en",
     "title": "Hall renovation materials taken to an official's house",
     "description": "Materials delivered for the community hall renovation in our kelurahan were taken to the private house of a local official. Several residents saw the truck unloading cement and roof tiles there. The hall renovation was never finished."},
    # ---------------- sensitive: PENYALAHGUNAAN-WEWENANG ----------------
    {"category": "PENYALAHGUNAAN-WEWENANG", "kind": C, "language": "id",
     "title": "Barang dagangan sitaan dijual lagi oleh oknum",
     "description": "Waktu penertiban PKL, dagangan saya (buah-buahan dua keranjang) diangkut oknum petugas tapi tidak ada berita acara. Besoknya saya lihat buah saya dijual di kios kenalan petugas itu. Ini sudah keterlaluan."},
    {"category": "PENYALAHGUNAAN-WEWENANG", "kind": C, "language": "id",
     "title": "Mobil dinas dipakai keluarga pejabat",
     "description": "Mobil dinas plat merah sering dipakai keluarga seorang kepala bidang buat antar anak sekolah dan belanja ke mal, termasuk hari Sabtu Minggu. Ini jelas penyalahgunaan fasilitas negara. Saya punya foto dan jamnya."},
    {"category": "PENYALAHGUNAAN-WEWENANG", "kind": C, "language": "en",
     "title": "Permit stalled after refusing an official's contractor",
     "description": "After I refused to hire the contractor recommended by an official, my building permit review suddenly stalled and he told me it would be 'difficult' unless I changed my mind. I still have his messages."},
    # ---------------- sensitive: PERILAKU-PETUGAS ----------------
    {"category": "PERILAKU-PETUGAS", "kind": C, "language": "id",
     "title": "Petugas kelurahan mengancam warga yang protes",
     "description": "Setelah saya protes soal bansos di grup WA kelurahan, ada petugas yang datang ke rumah malam-malam dan bilang 'jangan macam-macam, nanti urusan suratmu dipersulit'. Saya dan istri merasa terintimidasi."},
    {"category": "PERILAKU-PETUGAS", "kind": C, "language": "en",
     "title": "Counter officer harassed a female applicant",
     "description": "A male officer at a service counter made inappropriate comments about my appearance and took my phone number from the form 'to follow up'. He later messaged me late at night several times. I have screenshots."},
    # ---------------- named complaints with personal data ----------------
    {"category": "AIR-MATI", "kind": C, "language": "id", "contains_personal_data": True, "street": 6,
     "title": "Air mati sejak kemarin, pelanggan di Jl. Flamboyan",
     "description": "Nama saya Siti Rahmawati, pelanggan no. 04-118273 di Jl. Flamboyan. Air mati sejak kemarin siang, tetangga kanan kiri juga. Kalau petugas mau cek silakan hubungi saya di 0812-3456-7788, saya di rumah terus."},
    {"category": "KTP-EL", "kind": C, "language": "id", "contains_personal_data": True,
     "title": "KTP-el atas nama Agus Prasetyo belum tercetak",
     "description": "Saya Agus Prasetyo, NIK 3399021507880003, sudah rekam KTP-el 5 bulan lalu tapi belum dicetak juga. Mohon dikabari kalau sudah jadi ke nomor 0857-1122-3344 atau email agus.prasetyo88@example.com. Terima kasih."},
    {"category": "JALAN-RUSAK", "kind": C, "language": "en", "contains_personal_data": True, "street": 9,
     "title": "Pothole in front of my shop on Jl. Stasiun",
     "description": "There is a pothole about a metre wide in front of my phone shop on Jl. Stasiun. Two customers fell off their bikes this week. I am Dewi Anggraini, you can reach me at dewi.anggraini@example.com or 0813-7766-5544 if you need photos."},
    {"category": "SAMPAH-TIDAK-DIANGKUT", "kind": C, "language": "id", "contains_personal_data": True, "street": 14,
     "title": "Sampah Gg. Mawar tidak diambil seminggu",
     "description": "Saya Pak Slamet, ketua RT 05 RW 02 Gg. Mawar. Sampah warga sudah seminggu tidak diambil, gerobaknya katanya rusak. Kalau perlu koordinasi silakan WA saya 0813-9876-5432, nanti saya kumpulkan warga."},
    {"category": "RSUD-BPJS", "kind": C, "language": "id", "contains_personal_data": True,
     "title": "Ibu saya pasien BPJS disuruh pulang paksa",
     "description": "Ibu saya Sumarni (nomor kartu BPJS 0001234567890) disuruh pulang dari bangsal padahal masih lemas dan belum bisa makan. Katanya jatah hari rawat habis. Saya anaknya, Bambang, HP 0821-3030-4040. Mohon penjelasan."},
    {"category": "BANSOS", "kind": C, "language": "id", "contains_personal_data": True,
     "title": "Bu Warsini tidak pernah dapat bantuan",
     "description": "Tetangga saya Ibu Warsini, NIK 3399014101550002, janda umur 68 tahun tinggal di Kel. Jatimulyo, tidak pernah dapat bantuan apapun padahal hidupnya sangat susah. Saya yang melapor, Yuliani, bisa dihubungi di 0896-1234-0099."},
    {"category": "PPDB", "kind": C, "language": "en", "contains_personal_data": True,
     "title": "PPDB registration for Rizky Maulana not saved",
     "description": "I registered my son Rizky Maulana for junior high PPDB, but the system now says no registration exists for his NISN 0098765432. I have the screenshot of the confirmation. Please contact me, Hendra Wijaya, at hendra.w@example.net or 0819-2020-3131."},
    {"category": "TAGIHAN-AIR", "kind": C, "language": "en", "contains_personal_data": True,
     "title": "Wrong water bill for customer 12-034567",
     "description": "My water bill for customer ID 12-034567 shows usage of 85 cubic metres, which is impossible for a two-person household. My name is Maria Lestari, phone 0821-5566-7788. Please send someone to read the meter properly."},
    {"category": "LAMPU-JALAN", "kind": C, "language": "id", "contains_personal_data": True, "street": 20,
     "title": "Lampu jalan depan rumah Bu Rina mati",
     "description": "Lampu jalan depan rumah saya di Jl. Raya Mergosari no. 45 mati sudah 3 minggu. Saya Rina Kusumawati, kalau teknisi datang bisa telepon dulu ke 0896-5544-3322 biar saya bukakan pagar buat akses tangga."},
    {"category": "PUNGUTAN-SEKOLAH", "kind": C, "language": "id", "contains_personal_data": True,
     "title": "Anak saya tidak boleh ikut ujian karena belum bayar",
     "description": "Anak saya Nadia Putri kelas 5 tidak boleh ikut ujian tengah semester karena belum lunas uang kegiatan 350 ribu. Saya ibunya, Dwi Handayani, bisa dihubungi di 0878-6655-4433. Apakah sekolah negeri boleh begitu?"},
]

# ---------------------------------------------------------------------------
# Expansion of base texts into the final, deterministic COMPLAINTS list
# ---------------------------------------------------------------------------

_HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
_DAY = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_JAM = ["05.30", "06.45", "07.15", "08.00", "09.30", "13.20", "16.45", "19.30", "20.15", "21.40", "22.30", "23.10"]

_OPENERS = {
    "id": ["", "", "", "Selamat pagi. ", "Selamat siang min. ", "Assalamualaikum. ", "Lapor! ",
           "Mohon izin melapor. ", "Permisi pak/bu. "],
    "en": ["", "", "", "Hello. ", "Good morning. ", "Hi. "],
}
_CLOSERS = {
    ("id", "complaint"): ["", "", " Mohon segera ditindaklanjuti.", " Terima kasih.",
                          " Tolong jangan cuma ditampung aja ya.", " Makasih sebelumnya \U0001f64f",
                          " Mohon perhatiannya pak/bu.", " Sudah capek lapor ke RT tapi gak ada hasil."],
    ("id", "other"): ["", "", " Terima kasih.", " Matur nuwun.", " Makasih min."],
    ("en", "complaint"): ["", "", " Thank you.", " Please look into this urgently.",
                          " I hope this gets fixed soon.", " This is really frustrating."],
    ("en", "other"): ["", "", " Thanks.", " Thank you in advance."],
}

_LAT_RANGE = (-7.2995, -7.2005)
_LNG_RANGE = (110.3505, 110.4795)


def _clamp(value, bounds):
    return min(max(value, bounds[0]), bounds[1])


def _location(rng, street, house_no, rt, rw):
    lat = round(_clamp(street["lat"] + rng.uniform(-0.0025, 0.0025), _LAT_RANGE), 5)
    lng = round(_clamp(street["lng"] + rng.uniform(-0.0025, 0.0025), _LNG_RANGE), 5)
    address = "%s No. %s, RT %s/RW %s, Kel. %s, Kec. %s" % (
        street["name"], house_no, rt, rw, street["kelurahan"], street["kecamatan"])
    return address, lat, lng


def _build_complaints():
    rng = random.Random(42)
    categories = {c["code"]: c for c in CATEGORIES}
    result, seen = [], set()

    def add(record):
        key = (record["title"], record["description"])
        if key in seen:
            return False
        seen.add(key)
        result.append(record)
        return True

    en_bases = 0
    for category, kind, language, title_t, desc_t in _BASES:
        reps = _REPS
        if language == "en":  # fewer English variants: keeps the mix near 70 % id / 30 % en
            en_bases += 1
            reps = _REPS if en_bases % 3 else 1
        made = attempts = 0
        while made < reps and attempts < 30:
            attempts += 1
            street = rng.choice(STREETS)
            day = rng.randrange(7)
            values = {
                "jl": street["name"], "kel": street["kelurahan"], "kec": street["kecamatan"],
                "rt": "%02d" % rng.randint(1, 12), "rw": "%02d" % rng.randint(1, 9),
                "no": str(rng.randint(1, 180)), "n": str(rng.randint(2, 6)), "n2": str(rng.randint(7, 20)),
                "jam": rng.choice(_JAM), "hari": _HARI[day], "day": _DAY[day],
            }
            closer_key = (language, "complaint" if kind == C else "other")
            description = (rng.choice(_OPENERS[language]) + desc_t.format(**values)
                           + rng.choice(_CLOSERS[closer_key]))
            record = {
                "category": category, "kind": kind, "language": language,
                "title": title_t.format(**values), "description": description,
                "address": None, "lat": None, "lng": None, "contains_personal_data": False,
                # Where the citizen says it is (seed_demo files it in this area).
                "kelurahan": street["kelurahan"], "kecamatan": street["kecamatan"],
            }
            if categories[category]["location_required"]:
                record["address"], record["lat"], record["lng"] = _location(
                    rng, street, values["no"], values["rt"], values["rw"])
            if add(record):
                made += 1

    for single in _SINGLES:
        record = {
            "category": single["category"], "kind": single["kind"], "language": single["language"],
            "title": single["title"], "description": single["description"],
            "address": None, "lat": None, "lng": None,
            "contains_personal_data": single.get("contains_personal_data", False),
        }
        if categories[single["category"]]["location_required"]:
            street = STREETS[single["street"]] if "street" in single else rng.choice(STREETS)
            record["kelurahan"], record["kecamatan"] = street["kelurahan"], street["kecamatan"]
            record["address"], record["lat"], record["lng"] = _location(
                rng, street, str(rng.randint(1, 180)), "%02d" % rng.randint(1, 12), "%02d" % rng.randint(1, 9))
        add(record)

    rng.shuffle(result)
    return result


COMPLAINTS = _build_complaints()

# ---------------------------------------------------------------------------
# Rejection message templates (editable by admins)
# ---------------------------------------------------------------------------

REJECT_TEMPLATES = [
    {"reason": "spam",
     "text_id": "Laporan Anda tidak dapat kami proses karena tidak berisi pengaduan, saran atau permintaan informasi terkait layanan publik Kota Sukamaju (misalnya iklan, pesan berulang atau isi yang tidak relevan).",
     "text_en": "We cannot process your report because it does not contain a complaint, suggestion or information request about a Sukamaju public service (for example advertising, repeated messages or unrelated content)."},
    {"reason": "out_of_scope",
     "text_id": "Terima kasih atas laporan Anda. Permasalahan ini bukan kewenangan Pemerintah Kota Sukamaju. Silakan menyampaikannya kepada instansi yang berwenang (misalnya kepolisian, PLN, BPJS Kesehatan, pemerintah provinsi atau pengadilan). Jika Anda ragu, hubungi loket pengaduan di Mal Pelayanan Publik.",
     "text_en": "Thank you for your report. This matter is outside the authority of the Sukamaju City Government. Please contact the responsible institution (for example the police, PLN, BPJS Kesehatan, the provincial government or the courts). If unsure, ask at the complaint desk of the Public Service Mall."},
    {"reason": "not_enough_information",
     "text_id": "Laporan Anda belum dapat kami tindak lanjuti karena informasinya belum cukup dan tidak ada tanggapan atas permintaan kelengkapan data. Silakan kirim laporan baru dengan menyebutkan lokasi yang jelas (nama jalan, RT/RW, kelurahan), waktu kejadian dan, bila ada, foto pendukung.",
     "text_en": "We could not follow up your report because it lacks the necessary details and our request for more information was not answered. Please submit a new report with a clear location (street, RT/RW, kelurahan), when it happened and, if possible, a photo."},
    {"reason": "other",
     "text_id": "Laporan Anda tidak dapat kami proses lebih lanjut, misalnya karena memuat kata-kata yang tidak pantas atau menyangkut perkara yang sedang diproses di pengadilan. Jika Anda keberatan atas keputusan ini, Anda dapat mengajukan banding melalui halaman pelacakan laporan.",
     "text_en": "We cannot process your report further, for example because it contains abusive language or concerns a case already before the courts. If you disagree with this decision, you can appeal through your report's tracking page."},
]

# Response templates of the other actions (any category, any unit), with placeholders.
RESPONSE_TEMPLATES = [
    {"name": "Diterima / Received", "action": "reply", "choice": "",
     "text_id": "Terima kasih. Laporan {tracking_code} sudah diterima oleh {unit} dan sedang kami tindak lanjuti; target penyelesaian {due_date}.",
     "text_en": "Thank you. Report {tracking_code} has been received by {unit} and we are following it up; the target date is {due_date}."},
    {"name": "Lokasi / Location", "action": "request_info", "choice": "",
     "text_id": "Mohon lengkapi lokasi persisnya untuk laporan {tracking_code} (nama jalan, RT/RW, kelurahan) dan, bila ada, foto.",
     "text_en": "Please tell us the exact location for report {tracking_code} (street, RT/RW, kelurahan) and, if possible, send a photo."},
    {"name": "Selesai / Fixed", "action": "resolve", "choice": "fixed",
     "text_id": "{unit} telah menyelesaikan laporan {tracking_code}. Terima kasih atas laporan Anda.",
     "text_en": "{unit} has finished the work on report {tracking_code}. Thank you for your report."},
    {"name": "Bukan kewenangan / Not our authority", "action": "resolve", "choice": "not_our_authority",
     "text_id": "Laporan {tracking_code} ({category}) bukan kewenangan {unit}; kami telah meneruskannya kepada instansi yang berwenang.",
     "text_en": "Report {tracking_code} ({category}) is outside the authority of {unit}; we have referred it to the responsible institution."},
]

# ---------------------------------------------------------------------------
# Public replies by unit officers (demo history)
# ---------------------------------------------------------------------------

PUBLIC_REPLIES = {
    "PEMKOT": {
        "id": ["Terima kasih atas masukan Bapak/Ibu. Saran ini sudah kami teruskan ke bagian terkait untuk dibahas dalam rapat evaluasi layanan.",
               "Terima kasih atas pertanyaannya. Informasi lengkap sedang kami siapkan dan akan kami sampaikan melalui halaman ini."],
        "en": ["Thank you for your feedback. We have passed it on to the relevant department for the next service review meeting.",
               "Thank you for your question. We are preparing the complete information and will reply on this page."],
    },
    "DPU": {
        "id": ["Laporan sudah kami terima. Tim teknis akan melakukan peninjauan lapangan dalam minggu ini.",
               "Berkas permohonan Bapak/Ibu sedang diperiksa oleh tim penilai teknis. Kami akan mengabari bila ada kekurangan dokumen."],
        "en": ["We have received your report. Our technical team will inspect the site this week.",
               "Your application is being reviewed by the technical assessment team. We will let you know if any document is missing."],
    },
    "DPU-JALAN": {
        "id": ["Terima kasih, lokasi sudah kami survei. Penambalan darurat dijadwalkan dalam 3 hari kerja, perbaikan permanen menunggu anggaran pemeliharaan.",
               "Tim UPT Jalan sudah dijadwalkan ke lokasi. Mohon berhati-hati saat melintas, kami akan pasang rambu sementara.",
               "Lampu PJU di lokasi tersebut sudah masuk daftar penggantian. Tim teknisi akan datang pada malam hari untuk pengecekan."],
        "en": ["Thank you, we have surveyed the location. Emergency patching is scheduled within 3 working days; permanent repair awaits the maintenance budget.",
               "The roads maintenance team has been scheduled to visit. Please take care when passing; temporary warning signs will be placed.",
               "The street lights at this location are on our replacement list. Technicians will check them at night."],
    },
    "DPU-DRAINASE": {
        "id": ["Terima kasih atas laporannya. Tim pengerukan saluran sudah dijadwalkan ke lokasi, mohon bantuan warga untuk tidak membuang sampah ke saluran.",
               "Pompa air di lokasi sudah kami cek. Kami juga sedang menyiapkan kajian perbaikan saluran untuk jangka panjang."],
        "en": ["Thank you for your report. The drain-dredging team has been scheduled; please help us by not throwing rubbish into the drains.",
               "We have checked the pump at this location and are preparing a longer-term drainage improvement study."],
    },
    "DINKES": {
        "id": ["Terima kasih, laporan sudah kami teruskan ke kepala puskesmas dan akan dilakukan evaluasi pelayanan.",
               "Petugas surveilans akan melakukan penyelidikan epidemiologi di lingkungan Bapak/Ibu. Fogging dilakukan bila memenuhi kriteria."],
        "en": ["Thank you, your report has been forwarded to the head of the health centre for a service evaluation.",
               "Surveillance officers will carry out an epidemiological investigation in your area. Fogging is done when the criteria are met."],
    },
    "RSUD": {
        "id": ["Mohon maaf atas ketidaknyamanannya. Laporan sudah kami teruskan ke kepala instalasi terkait dan kami akan menghubungi keluarga pasien.",
               "Terima kasih atas masukannya. Unit pengaduan rumah sakit sedang mengklarifikasi hal ini dengan petugas di ruangan."],
        "en": ["We apologise for the inconvenience. Your report has been forwarded to the head of the unit concerned and we will contact the patient's family.",
               "Thank you for your feedback. The hospital complaints unit is clarifying this with the staff on duty."],
    },
    "DISDIK": {
        "id": ["Laporan sudah kami terima dan akan kami klarifikasi ke kepala sekolah yang bersangkutan melalui pengawas sekolah.",
               "Terima kasih. Panitia PPDB sedang memverifikasi data yang Bapak/Ibu sampaikan."],
        "en": ["We have received your report and will clarify it with the school principal through the school supervisor.",
               "Thank you. The admission committee is verifying the data you provided."],
    },
    "DUKCAPIL": {
        "id": ["Terima kasih. Permohonan Bapak/Ibu sudah kami cek di sistem dan sedang dalam proses. Mohon kesediaannya menunggu notifikasi.",
               "Mohon melengkapi dokumen berikut agar perbaikan data dapat kami proses: fotokopi KK dan dokumen pendukung yang benar."],
        "en": ["Thank you. We have checked your application in the system and it is being processed. Please wait for the notification.",
               "Please provide the following documents so we can process the data correction: a copy of your family card and the correct supporting document."],
    },
    "DLH": {
        "id": ["Petugas pengawasan lingkungan akan melakukan verifikasi lapangan dan pengambilan sampel bila diperlukan.",
               "Terima kasih atas laporannya. Kami sudah berkoordinasi dengan kelurahan setempat untuk pengecekan ke lokasi."],
        "en": ["Environmental inspectors will verify the site and take samples if needed.",
               "Thank you for your report. We have coordinated with the local kelurahan to check the location."],
    },
    "DLH-KEBERSIHAN": {
        "id": ["Mohon maaf, armada pengangkut sedang ada yang rusak. Pengangkutan di lokasi dijadwalkan besok pagi.",
               "Terima kasih. Tim kebersihan akan membersihkan lokasi dan kami akan memasang papan larangan membuang sampah."],
        "en": ["We apologise, one of our trucks is under repair. Collection at this location is scheduled for tomorrow morning.",
               "Thank you. The cleaning team will clear the site and we will install a no-dumping sign."],
    },
    "DISHUB": {
        "id": ["Terima kasih, laporan sudah kami teruskan ke tim pengawasan dan pengendalian lalu lintas untuk ditindaklanjuti di lapangan.",
               "Teknisi APILL sudah kami kerahkan ke lokasi untuk memeriksa lampu lalu lintas."],
        "en": ["Thank you, your report has been forwarded to the traffic control team for field follow-up.",
               "Traffic signal technicians have been sent to check the lights at this junction."],
    },
    "SATPOLPP": {
        "id": ["Laporan sudah kami terima. Regu patroli akan melakukan pemantauan dan penertiban secara persuasif di lokasi.",
               "Terima kasih atas informasinya. Kami akan berkoordinasi dengan kecamatan dan kelurahan setempat."],
        "en": ["We have received your report. A patrol team will monitor the location and take persuasive enforcement action.",
               "Thank you for the information. We will coordinate with the local district and kelurahan."],
    },
    "DINSOS": {
        "id": ["Terima kasih. Pendamping sosial akan melakukan kunjungan rumah untuk verifikasi kondisi warga yang dilaporkan.",
               "Data Bapak/Ibu sedang kami cek di DTKS. Kami akan menyampaikan hasilnya melalui halaman ini."],
        "en": ["Thank you. A social worker will visit the household to verify the situation you reported.",
               "We are checking your data in the welfare database (DTKS) and will post the result here."],
    },
    "PDAM": {
        "id": ["Mohon maaf atas gangguan aliran air. Saat ini sedang ada perbaikan pipa transmisi, mobil tangki kami kirim ke lokasi terdampak.",
               "Terima kasih. Petugas baca meter akan datang untuk pengecekan ulang meteran di alamat Bapak/Ibu."],
        "en": ["We apologise for the water interruption. A transmission pipe is being repaired and we are sending a water tanker to the affected area.",
               "Thank you. A meter reader will visit your address to re-check the meter."],
    },
    "INSPEKTORAT": {
        "id": ["Terima kasih atas keberanian Bapak/Ibu melapor. Identitas pelapor dijamin kerahasiaannya. Laporan sedang kami telaah.",
               "Tim Inspektorat telah menjadwalkan klarifikasi. Apabila Bapak/Ibu memiliki bukti tambahan, mohon disampaikan melalui halaman ini."],
        "en": ["Thank you for your courage in reporting. Your identity is kept confidential. We are reviewing the report.",
               "The Inspectorate has scheduled a clarification. If you have further evidence, please submit it through this page."],
    },
}

# ---------------------------------------------------------------------------
# Resolution summaries per unit and outcome (demo history)
# ---------------------------------------------------------------------------

RESOLUTION_SUMMARIES = {
    "PEMKOT": {
        "fixed": {"id": ["Saran telah ditindaklanjuti dan diterapkan dalam perbaikan layanan."],
                  "en": ["The suggestion was followed up and included in a service improvement."]},
        "partly_fixed": {"id": ["Sebagian usulan sudah diterapkan; sisanya masuk rencana kerja tahun depan."],
                         "en": ["Part of the suggestion has been implemented; the rest is in next year's work plan."]},
        "cannot_fix": {"id": ["Usulan belum dapat dilaksanakan karena keterbatasan anggaran tahun berjalan."],
                       "en": ["The suggestion cannot be implemented this year due to budget limits."]},
        "not_our_authority": {"id": ["Hal ini merupakan kewenangan pemerintah provinsi; laporan telah diteruskan ke Biro Organisasi Setda Provinsi."],
                              "en": ["This is a provincial government matter; the report has been referred to the Provincial Organisation Bureau."]},
        "answered": {"id": ["Terima kasih atas apresiasi dan masukannya. Informasi yang ditanyakan telah kami sampaikan di atas.",
                            "Pertanyaan telah dijawab; jam layanan dan daftar kantor tersedia di situs resmi pemkot."],
                     "en": ["Thank you for your appreciation and feedback. The requested information has been given above.",
                            "Question answered; opening hours and the list of offices are on the city website."]},
    },
    "DPU": {
        "fixed": {"id": ["Jembatan/trotoar telah diperbaiki oleh tim pemeliharaan."],
                  "en": ["The bridge/sidewalk has been repaired by the maintenance team."]},
        "partly_fixed": {"id": ["Perbaikan darurat telah dilakukan; rehabilitasi total dianggarkan tahun depan."],
                         "en": ["Emergency repairs are done; full rehabilitation is budgeted for next year."]},
        "cannot_fix": {"id": ["Bangunan yang dilaporkan telah memiliki PBG yang sah sesuai ketentuan tata ruang."],
                       "en": ["The reported building holds a valid PBG consistent with zoning rules."]},
        "not_our_authority": {"id": ["Jalan/jembatan tersebut berstatus jalan provinsi; laporan diteruskan ke Dinas PU Provinsi."],
                              "en": ["This is a provincial road/bridge; the report was referred to the Provincial Public Works Agency."]},
        "answered": {"id": ["Persyaratan dan alur PBG telah kami jelaskan; permohonan dapat diajukan melalui SIMBG."],
                     "en": ["We explained the PBG requirements and process; applications can be submitted through SIMBG."]},
    },
    "DPU-JALAN": {
        "fixed": {"id": ["Lubang jalan telah ditambal dengan aspal hotmix.", "Lampu PJU telah diganti dan menyala normal."],
                  "en": ["The potholes have been patched with hot-mix asphalt.", "The street lights have been replaced and work normally."]},
        "partly_fixed": {"id": ["Penambalan darurat sudah dilakukan; pengaspalan ulang menunggu anggaran perubahan."],
                         "en": ["Emergency patching is done; full resurfacing awaits the revised budget."]},
        "cannot_fix": {"id": ["Jalan berada di lahan fasum perumahan yang belum diserahkan ke pemkot, sehingga belum dapat dianggarkan."],
                       "en": ["The road belongs to a housing estate not yet handed over to the city, so it cannot be budgeted yet."]},
        "not_our_authority": {"id": ["Bekas galian adalah milik penyedia jaringan utilitas; pihak tersebut telah diminta mengembalikan kondisi jalan.",
                                     "Jalan tersebut jalan nasional; laporan diteruskan ke BBPJN."],
                              "en": ["The trench belongs to a utility network operator, who has been instructed to restore the road.",
                                     "This is a national road; the report was referred to the national roads authority (BBPJN)."]},
        "answered": {"id": ["Ruas jalan tersebut masuk jadwal pemeliharaan berkala triwulan depan."],
                     "en": ["This road section is in the periodic maintenance schedule for next quarter."]},
    },
    "DPU-DRAINASE": {
        "fixed": {"id": ["Saluran telah dikeruk dan aliran air kembali lancar."],
                  "en": ["The drain has been dredged and water flows normally again."]},
        "partly_fixed": {"id": ["Sedimentasi telah dibersihkan; pembangunan saluran baru diusulkan dalam anggaran tahun depan."],
                         "en": ["Sediment has been cleared; a new drain is proposed in next year's budget."]},
        "cannot_fix": {"id": ["Genangan disebabkan elevasi kawasan yang lebih rendah dari sungai; penanganan membutuhkan proyek pengendalian banjir skala kota."],
                       "en": ["The flooding is caused by ground level below the river; it needs a city-wide flood control project."]},
        "not_our_authority": {"id": ["Tanggul sungai tersebut kewenangan BBWS; laporan telah diteruskan."],
                              "en": ["The embankment is under the river basin authority (BBWS); the report has been referred."]},
        "answered": {"id": ["Jadwal normalisasi saluran di wilayah tersebut telah kami sampaikan."],
                     "en": ["We have shared the drain maintenance schedule for the area."]},
    },
    "DINKES": {
        "fixed": {"id": ["Fogging dan PSN telah dilaksanakan di RT terdampak.", "Stok obat di puskesmas telah dipenuhi."],
                  "en": ["Fogging and larvae eradication were carried out in the affected RT.", "Medicine stock at the health centre has been replenished."]},
        "partly_fixed": {"id": ["Loket pendaftaran ditambah satu; sistem antrean online masih dalam uji coba."],
                         "en": ["One more registration desk was opened; online queueing is still being piloted."]},
        "cannot_fix": {"id": ["Hasil penyelidikan epidemiologi tidak memenuhi kriteria fogging; warga diminta melakukan 3M Plus."],
                       "en": ["The epidemiological investigation did not meet fogging criteria; residents were asked to practise 3M Plus."]},
        "not_our_authority": {"id": ["Keluhan menyangkut klinik swasta; diteruskan ke bagian perizinan fasilitas kesehatan dan BPJS Kesehatan."],
                              "en": ["The complaint concerns a private clinic; it was referred to health facility licensing and BPJS Kesehatan."]},
        "answered": {"id": ["Jadwal imunisasi dan posyandu telah kami sampaikan."],
                     "en": ["The immunisation and posyandu schedule has been provided."]},
    },
    "RSUD": {
        "fixed": {"id": ["Biaya yang tidak sesuai telah dikembalikan kepada keluarga pasien.", "Kebersihan bangsal telah diperbaiki dan jadwal piket ditambah."],
                  "en": ["The incorrect charge has been refunded to the patient's family.", "Ward cleaning has been improved and extra shifts added."]},
        "partly_fixed": {"id": ["Jam buka poli dimajukan; kuota janji temu online ditambah bertahap."],
                         "en": ["Clinic opening time was moved earlier; online appointment quota is being increased gradually."]},
        "cannot_fix": {"id": ["Kapasitas tempat tidur kelas 3 memang penuh saat itu; pasien telah dirujuk ke rumah sakit jejaring."],
                       "en": ["Class 3 beds were genuinely full at the time; the patient was referred to a partner hospital."]},
        "not_our_authority": {"id": ["Penjaminan obat tersebut ditentukan BPJS Kesehatan; keluhan diteruskan ke kantor cabang BPJS."],
                              "en": ["Coverage of this medicine is decided by BPJS Kesehatan; the complaint was referred to the BPJS branch office."]},
        "answered": {"id": ["Rujukan berlaku 90 hari; pendaftaran dapat dilakukan melalui aplikasi atau loket."],
                     "en": ["Referrals are valid for 90 days; registration is possible via the app or at the counter."]},
    },
    "DISDIK": {
        "fixed": {"id": ["Sekolah telah menghentikan pungutan dan mengembalikan dana kepada orang tua.", "Ijazah telah diserahkan kepada siswa."],
                  "en": ["The school stopped the levy and refunded parents.", "The diploma has been handed to the student."]},
        "partly_fixed": {"id": ["Guru pengganti telah ditugaskan sementara; pengisian formasi guru tetap menunggu rekrutmen."],
                         "en": ["A temporary substitute teacher was assigned; a permanent post awaits recruitment."]},
        "cannot_fix": {"id": ["Setelah verifikasi, hasil seleksi zonasi sudah sesuai data dan ketentuan PPDB."],
                       "en": ["After verification, the zoning result matches the data and PPDB rules."]},
        "not_our_authority": {"id": ["SMA/SMK negeri merupakan kewenangan provinsi; laporan diteruskan ke Cabang Dinas Pendidikan Provinsi."],
                              "en": ["State senior high schools are a provincial matter; the report was referred to the provincial education branch office."]},
        "answered": {"id": ["Jadwal dan syarat PPDB telah kami sampaikan; juknis lengkap ada di situs PPDB kota."],
                     "en": ["PPDB dates and requirements have been provided; full guidelines are on the city PPDB site."]},
    },
    "DUKCAPIL": {
        "fixed": {"id": ["KTP-el telah dicetak dan dapat diambil di kantor kecamatan.", "Data telah diperbaiki dan dokumen baru telah terbit."],
                  "en": ["The e-KTP has been printed and can be collected at the district office.", "The data has been corrected and a new document issued."]},
        "partly_fixed": {"id": ["Kuota antrean ditambah dan layanan keliling dijadwalkan; ketersediaan blangko masih bergantung pada pusat."],
                         "en": ["Queue quota was increased and mobile service scheduled; card stock still depends on the central government."]},
        "cannot_fix": {"id": ["Perubahan data memerlukan penetapan pengadilan sehingga belum dapat kami proses."],
                       "en": ["This data change requires a court decision, so we cannot process it yet."]},
        "not_our_authority": {"id": ["Dokumen tersebut diterbitkan oleh Disdukcapil daerah asal; pemohon diarahkan ke sana."],
                              "en": ["The document was issued by the civil registry of the place of origin; the applicant was referred there."]},
        "answered": {"id": ["Persyaratan dan alur layanan telah kami jelaskan. Layanan tidak dipungut biaya."],
                     "en": ["We explained the requirements and steps. The service is free of charge."]},
    },
    "DLH": {
        "fixed": {"id": ["Pelaku usaha telah diberi sanksi administratif dan memperbaiki pengelolaan emisinya.", "Pohon rawan telah dipangkas oleh tim pertamanan."],
                  "en": ["The business received an administrative sanction and fixed its emissions handling.", "The hazardous tree has been pruned by the parks team."]},
        "partly_fixed": {"id": ["Jam operasional usaha telah dibatasi; pemasangan peredam suara masih berjalan."],
                         "en": ["The business's operating hours were limited; sound-proofing is still in progress."]},
        "cannot_fix": {"id": ["Hasil uji sampel masih di bawah baku mutu; kami akan terus memantau."],
                       "en": ["Sample results are within quality standards; we will keep monitoring."]},
        "not_our_authority": {"id": ["Kabel yang terkena pohon milik PLN; laporan diteruskan ke PLN UP3 setempat."],
                              "en": ["The wires touching the tree belong to PLN; the report was referred to the local PLN office."]},
        "answered": {"id": ["Usulan penanaman pohon telah kami catat untuk program penghijauan tahun depan."],
                     "en": ["The tree-planting suggestion is noted for next year's greening programme."]},
    },
    "DLH-KEBERSIHAN": {
        "fixed": {"id": ["Sampah telah diangkut dan lokasi dibersihkan.", "Lokasi pembuangan liar telah dibersihkan dan dipasang papan larangan."],
                  "en": ["The garbage has been collected and the site cleaned.", "The illegal dump has been cleared and a no-dumping sign installed."]},
        "partly_fixed": {"id": ["Sampah telah diangkut; penambahan ritase truk diusulkan untuk mencegah penumpukan."],
                         "en": ["Garbage collected; extra truck trips have been proposed to prevent build-up."]},
        "cannot_fix": {"id": ["Lahan merupakan milik pribadi; pemilik telah diminta membersihkan dan memagari lahannya."],
                       "en": ["The plot is private land; the owner has been asked to clean and fence it."]},
        "not_our_authority": {"id": ["Pengangkutan sampah dari rumah ke TPS dikelola oleh RT/RW setempat; laporan diteruskan ke kelurahan."],
                              "en": ["Door-to-door collection is run by the local RT/RW; the report was referred to the kelurahan."]},
        "answered": {"id": ["Jadwal pengangkutan sampah besar (bulky waste) telah kami sampaikan."],
                     "en": ["The bulky-waste collection schedule has been provided."]},
    },
    "DISHUB": {
        "fixed": {"id": ["Lampu lalu lintas telah diperbaiki dan menyala normal.", "Juru parkir liar telah ditertibkan bersama Satpol PP."],
                  "en": ["The traffic light has been repaired and works normally.", "Unofficial parking attendants were removed together with Satpol PP."]},
        "partly_fixed": {"id": ["Durasi lampu telah disesuaikan sementara; kajian ulang siklus APILL sedang berjalan."],
                         "en": ["Signal timing was adjusted temporarily; a full cycle review is under way."]},
        "cannot_fix": {"id": ["Lokasi tidak memenuhi syarat teknis pemasangan APILL; dipasang rambu peringatan sebagai gantinya."],
                       "en": ["The site does not meet technical criteria for a signal; warning signs were installed instead."]},
        "not_our_authority": {"id": ["Pelanggaran lalu lintas oleh pengendara merupakan kewenangan Satlantas Polres; laporan telah diteruskan."],
                              "en": ["Traffic violations by drivers are handled by the traffic police; the report has been referred."]},
        "answered": {"id": ["Rute dan jam operasional bus kota telah kami sampaikan; pembayaran bisa dengan kartu atau QRIS."],
                     "en": ["City bus routes and hours have been provided; fares can be paid by card or QRIS."]},
    },
    "SATPOLPP": {
        "fixed": {"id": ["Penertiban telah dilaksanakan secara persuasif dan lokasi kembali tertib.", "Reklame tanpa izin telah dibongkar."],
                  "en": ["Enforcement was carried out persuasively and the area is orderly again.", "The unlicensed billboard has been removed."]},
        "partly_fixed": {"id": ["Pedagang telah ditata ulang; relokasi permanen menunggu kesiapan lokasi baru."],
                         "en": ["Vendors have been rearranged; permanent relocation awaits the new site."]},
        "cannot_fix": {"id": ["Saat patroli dilakukan tidak ditemukan pelanggaran; patroli rutin tetap dilanjutkan."],
                       "en": ["No violation was found during patrols; regular patrols continue."]},
        "not_our_authority": {"id": ["Dugaan tindak pidana (perjudian, miras) merupakan kewenangan kepolisian; laporan diteruskan ke Polsek setempat."],
                              "en": ["Suspected crimes (gambling, alcohol) are police matters; the report was referred to the local police station."]},
        "answered": {"id": ["Ketentuan perda tentang ketertiban umum telah kami jelaskan."],
                     "en": ["We explained the by-law provisions on public order."]},
    },
    "DINSOS": {
        "fixed": {"id": ["Warga telah diusulkan dan masuk DTKS serta menerima bantuan.", "Warga terlantar telah dijangkau dan ditempatkan di rumah singgah."],
                  "en": ["The household was proposed, added to DTKS and now receives aid.", "The neglected person has been reached and placed in a shelter."]},
        "partly_fixed": {"id": ["Data telah diperbarui; pencairan bantuan mengikuti jadwal penyaluran berikutnya."],
                         "en": ["The data has been updated; aid will follow the next disbursement schedule."]},
        "cannot_fix": {"id": ["Hasil verifikasi lapangan menunjukkan keluarga tidak memenuhi kriteria penerima bantuan."],
                       "en": ["Field verification showed the household does not meet the aid criteria."]},
        "not_our_authority": {"id": ["Penyaluran bantuan ini dikelola Kementerian Sosial melalui bank penyalur; keluhan diteruskan ke pendamping dan bank terkait."],
                              "en": ["This aid is managed by the Ministry of Social Affairs via the distributing bank; the complaint was referred accordingly."]},
        "answered": {"id": ["Cara pendaftaran dan pengecekan DTKS telah kami jelaskan."],
                     "en": ["We explained how to register for and check DTKS status."]},
    },
    "PDAM": {
        "fixed": {"id": ["Pipa yang bocor telah diperbaiki dan aliran air kembali normal.", "Meteran telah diganti dan tagihan dikoreksi."],
                  "en": ["The leaking pipe has been repaired and supply is back to normal.", "The meter has been replaced and the bill corrected."]},
        "partly_fixed": {"id": ["Aliran air sudah kembali namun tekanan masih rendah di jam puncak; penambahan pompa sedang dikerjakan."],
                         "en": ["Supply is restored but pressure is still low at peak hours; an extra pump is being installed."]},
        "cannot_fix": {"id": ["Pemakaian tercatat sesuai meteran; ditemukan kebocoran di instalasi dalam rumah pelanggan."],
                       "en": ["Usage matches the meter; a leak was found in the customer's own plumbing."]},
        "not_our_authority": {"id": ["Lokasi berada di luar jaringan layanan kami dan dilayani oleh pengelola air perumahan."],
                              "en": ["The location is outside our network and served by the housing estate's own water operator."]},
        "answered": {"id": ["Prosedur balik nama dan pembayaran online telah kami jelaskan."],
                     "en": ["We explained the change-of-name procedure and online payment options."]},
    },
    "INSPEKTORAT": {
        "fixed": {"id": ["Hasil pemeriksaan membuktikan pelanggaran; rekomendasi sanksi disiplin telah disampaikan kepada pejabat pembina kepegawaian."],
                  "en": ["The audit confirmed the violation; disciplinary sanctions have been recommended to the appointing official."]},
        "partly_fixed": {"id": ["Sebagian dugaan terbukti dan telah dikenai sanksi; bagian lain masih didalami."],
                         "en": ["Part of the allegation was proven and sanctioned; the rest is still being examined."]},
        "cannot_fix": {"id": ["Hasil klarifikasi dan pemeriksaan belum menemukan bukti yang cukup; laporan dapat dibuka kembali bila ada bukti baru."],
                       "en": ["Clarification and audit found insufficient evidence; the case can be reopened if new evidence appears."]},
        "not_our_authority": {"id": ["Terdapat indikasi tindak pidana korupsi; laporan telah dilimpahkan kepada aparat penegak hukum."],
                              "en": ["There are indications of a criminal offence; the case has been handed to law enforcement."]},
        "answered": {"id": ["Mekanisme perlindungan pelapor telah kami jelaskan."],
                     "en": ["We explained the whistle-blower protection mechanism."]},
    },
}
