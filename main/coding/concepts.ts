/**
 * Conditions as clinicians name them, and the code ICD-10-CM's index gives each when nothing more
 * is said (its "unspecified" code, or the guideline default: diabetes of undocumented type is E11).
 * Suggestions start from these and move to a more specific code of the same family only when the
 * text states every word that code's title requires; search puts the default first for a query
 * that is exactly one of the phrases. Abbreviations (abbreviations.ts) reach these phrases through
 * their expansions.
 *
 * `family`: the code prefixes whose billable codes refine the concept (default: the code's category).
 */
export interface Concept {
  readonly id: string;
  readonly phrases: readonly string[];
  readonly code: string;
  readonly family?: readonly string[];
}

export const concepts: readonly Concept[] = [
  // Circulatory
  { id: 'hypertension', phrases: ['hypertension', 'essential hypertension', 'primary hypertension', 'high blood pressure'], code: 'I10' },
  { id: 'hypertensive-heart-disease', phrases: ['hypertensive heart disease'], code: 'I11.9' },
  { id: 'elevated-blood-pressure', phrases: ['elevated blood pressure', 'elevated blood pressure reading'], code: 'R03.0' },
  { id: 'hypotension', phrases: ['hypotension', 'low blood pressure'], code: 'I95.9' },
  {
    id: 'heart-failure',
    phrases: ['heart failure', 'congestive heart failure', 'cardiac failure'],
    code: 'I50.9',
  },
  { id: 'atrial-fibrillation', phrases: ['atrial fibrillation'], code: 'I48.91' },
  { id: 'atrial-flutter', phrases: ['atrial flutter'], code: 'I48.92' },
  { id: 'supraventricular-tachycardia', phrases: ['supraventricular tachycardia'], code: 'I47.10', family: ['I47.1'] },
  {
    id: 'coronary-artery-disease',
    phrases: ['coronary artery disease', 'atherosclerotic heart disease', 'coronary disease'],
    code: 'I25.10',
    family: ['I25.1'],
  },
  {
    id: 'myocardial-infarction',
    phrases: ['myocardial infarction', 'acute myocardial infarction', 'heart attack'],
    code: 'I21.9',
    family: ['I21'],
  },
  { id: 'angina', phrases: ['angina', 'angina pectoris'], code: 'I20.9' },
  {
    id: 'peripheral-vascular-disease',
    phrases: ['peripheral vascular disease', 'peripheral arterial disease', 'peripheral artery disease'],
    code: 'I73.9',
  },
  { id: 'deep-vein-thrombosis', phrases: ['deep vein thrombosis', 'deep venous thrombosis'], code: 'I82.409', family: ['I82.4'] },
  { id: 'pulmonary-embolism', phrases: ['pulmonary embolism'], code: 'I26.99', family: ['I26'] },
  { id: 'stroke', phrases: ['stroke', 'cerebral infarction', 'cerebrovascular accident'], code: 'I63.9', family: ['I63'] },
  { id: 'transient-ischemic-attack', phrases: ['transient ischemic attack'], code: 'G45.9' },
  { id: 'varicose-veins', phrases: ['varicose veins', 'varicose veins of lower extremity'], code: 'I83.90', family: ['I83.9'] },
  { id: 'chest-pain', phrases: ['chest pain'], code: 'R07.9', family: ['R07'] },
  { id: 'palpitations', phrases: ['palpitations', 'palpitation'], code: 'R00.2' },
  { id: 'tachycardia', phrases: ['tachycardia'], code: 'R00.0' },
  // Endocrine, nutritional, metabolic
  {
    id: 'type-2-diabetes',
    phrases: [
      'type 2 diabetes',
      'type 2 diabetes mellitus',
      'diabetes mellitus type 2',
      'diabetes type 2',
      'diabetes mellitus 2',
      'non insulin dependent diabetes',
    ],
    code: 'E11.9',
  },
  {
    id: 'type-1-diabetes',
    phrases: ['type 1 diabetes', 'type 1 diabetes mellitus', 'diabetes mellitus type 1', 'diabetes type 1', 'insulin dependent diabetes'],
    code: 'E10.9',
  },
  // ICD-10-CM guideline I.C.4.a.2: diabetes of undocumented type defaults to E11.
  { id: 'diabetes', phrases: ['diabetes', 'diabetes mellitus'], code: 'E11.9', family: ['E11'] },
  { id: 'prediabetes', phrases: ['prediabetes', 'pre diabetes', 'borderline diabetes'], code: 'R73.03' },
  { id: 'hyperglycemia', phrases: ['hyperglycemia', 'elevated blood glucose', 'elevated blood sugar'], code: 'R73.9' },
  {
    id: 'hyperlipidemia',
    phrases: ['hyperlipidemia', 'dyslipidemia', 'high cholesterol', 'elevated cholesterol'],
    code: 'E78.5',
    family: ['E78.5'],
  },
  { id: 'hypercholesterolemia', phrases: ['hypercholesterolemia', 'pure hypercholesterolemia'], code: 'E78.00', family: ['E78.0'] },
  { id: 'hypertriglyceridemia', phrases: ['hypertriglyceridemia', 'high triglycerides', 'elevated triglycerides'], code: 'E78.1' },
  { id: 'mixed-hyperlipidemia', phrases: ['mixed hyperlipidemia', 'combined hyperlipidemia'], code: 'E78.2' },
  { id: 'hypothyroidism', phrases: ['hypothyroidism', 'underactive thyroid'], code: 'E03.9' },
  { id: 'hyperthyroidism', phrases: ['hyperthyroidism', 'overactive thyroid'], code: 'E05.90', family: ['E05'] },
  { id: 'obesity', phrases: ['obesity'], code: 'E66.9', family: ['E66'] },
  { id: 'morbid-obesity', phrases: ['morbid obesity', 'severe obesity'], code: 'E66.01' },
  { id: 'overweight', phrases: ['overweight'], code: 'E66.3' },
  { id: 'vitamin-d-deficiency', phrases: ['vitamin d deficiency', 'low vitamin d', 'vitamin d insufficiency'], code: 'E55.9' },
  { id: 'vitamin-b12-deficiency', phrases: ['vitamin b12 deficiency', 'b12 deficiency', 'low b12'], code: 'E53.8' },
  { id: 'hypokalemia', phrases: ['hypokalemia', 'low potassium'], code: 'E87.6' },
  { id: 'hyponatremia', phrases: ['hyponatremia', 'low sodium'], code: 'E87.1' },
  { id: 'dehydration', phrases: ['dehydration'], code: 'E86.0' },
  {
    id: 'fatty-liver',
    phrases: ['fatty liver', 'fatty liver disease', 'nonalcoholic fatty liver disease', 'hepatic steatosis'],
    code: 'K76.0',
  },
  // Blood
  { id: 'iron-deficiency-anemia', phrases: ['iron deficiency anemia'], code: 'D50.9', family: ['D50'] },
  { id: 'anemia', phrases: ['anemia'], code: 'D64.9' },
  // Respiratory
  { id: 'upper-respiratory-infection', phrases: ['upper respiratory infection', 'upper respiratory tract infection'], code: 'J06.9' },
  { id: 'common-cold', phrases: ['common cold', 'nasopharyngitis', 'head cold'], code: 'J00' },
  { id: 'pharyngitis', phrases: ['pharyngitis', 'acute pharyngitis'], code: 'J02.9' },
  { id: 'strep-pharyngitis', phrases: ['strep throat', 'strep pharyngitis', 'streptococcal pharyngitis'], code: 'J02.0' },
  { id: 'sinusitis', phrases: ['sinusitis', 'acute sinusitis', 'rhinosinusitis'], code: 'J01.90', family: ['J01'] },
  { id: 'chronic-sinusitis', phrases: ['chronic sinusitis'], code: 'J32.9', family: ['J32'] },
  { id: 'bronchitis', phrases: ['bronchitis', 'acute bronchitis'], code: 'J20.9' },
  { id: 'pneumonia', phrases: ['pneumonia', 'community acquired pneumonia'], code: 'J18.9' },
  { id: 'influenza', phrases: ['influenza', 'flu'], code: 'J11.1', family: ['J10', 'J11'] },
  { id: 'covid-19', phrases: ['covid-19', 'covid', 'covid 19', 'sars-cov-2 infection'], code: 'U07.1' },
  { id: 'asthma', phrases: ['asthma', 'reactive airway disease'], code: 'J45.909', family: ['J45'] },
  { id: 'copd', phrases: ['chronic obstructive pulmonary disease', 'chronic obstructive lung disease'], code: 'J44.9', family: ['J44'] },
  { id: 'emphysema', phrases: ['emphysema'], code: 'J43.9' },
  { id: 'allergic-rhinitis', phrases: ['allergic rhinitis', 'hay fever', 'seasonal allergies'], code: 'J30.9', family: ['J30'] },
  { id: 'cough', phrases: ['cough'], code: 'R05.9', family: ['R05'] },
  { id: 'shortness-of-breath', phrases: ['shortness of breath', 'dyspnea'], code: 'R06.02' },
  { id: 'wheezing', phrases: ['wheezing', 'wheeze'], code: 'R06.2' },
  { id: 'obstructive-sleep-apnea', phrases: ['obstructive sleep apnea', 'sleep apnea'], code: 'G47.33' },
  // Genitourinary
  { id: 'urinary-tract-infection', phrases: ['urinary tract infection', 'bladder infection'], code: 'N39.0' },
  { id: 'cystitis', phrases: ['cystitis', 'acute cystitis'], code: 'N30.90', family: ['N30'] },
  { id: 'dysuria', phrases: ['dysuria'], code: 'R30.0' },
  { id: 'hematuria', phrases: ['hematuria', 'blood in urine'], code: 'R31.9', family: ['R31'] },
  {
    id: 'chronic-kidney-disease',
    phrases: ['chronic kidney disease', 'chronic renal insufficiency', 'chronic kidney insufficiency'],
    code: 'N18.9',
    family: ['N18'],
  },
  { id: 'end-stage-renal-disease', phrases: ['end stage renal disease', 'end stage kidney disease'], code: 'N18.6' },
  { id: 'acute-kidney-injury', phrases: ['acute kidney injury', 'acute kidney failure', 'acute renal failure'], code: 'N17.9' },
  {
    id: 'benign-prostatic-hyperplasia',
    phrases: ['benign prostatic hyperplasia', 'enlarged prostate', 'benign prostatic hypertrophy'],
    code: 'N40.0',
    family: ['N40'],
  },
  { id: 'kidney-stone', phrases: ['kidney stone', 'nephrolithiasis', 'renal calculus'], code: 'N20.0' },
  { id: 'erectile-dysfunction', phrases: ['erectile dysfunction'], code: 'N52.9' },
  { id: 'overactive-bladder', phrases: ['overactive bladder'], code: 'N32.81' },
  { id: 'stress-incontinence', phrases: ['stress incontinence', 'stress urinary incontinence'], code: 'N39.3' },
  { id: 'menopause', phrases: ['menopause', 'menopausal symptoms', 'hot flashes'], code: 'N95.1' },
  { id: 'dysmenorrhea', phrases: ['dysmenorrhea', 'painful periods'], code: 'N94.6' },
  { id: 'vaginitis', phrases: ['vaginitis', 'vulvovaginitis'], code: 'N76.0' },
  // Digestive
  {
    id: 'gerd',
    phrases: [
      'gastro-esophageal reflux disease',
      'gastroesophageal reflux',
      'gastro-esophageal reflux',
      'acid reflux',
      'reflux disease',
      'reflux',
    ],
    code: 'K21.9',
  },
  { id: 'constipation', phrases: ['constipation'], code: 'K59.00', family: ['K59.0'] },
  { id: 'irritable-bowel-syndrome', phrases: ['irritable bowel syndrome'], code: 'K58.9', family: ['K58'] },
  { id: 'dyspepsia', phrases: ['dyspepsia', 'indigestion'], code: 'K30' },
  { id: 'abdominal-pain', phrases: ['abdominal pain', 'stomach pain', 'belly pain'], code: 'R10.9', family: ['R10'] },
  { id: 'nausea-vomiting', phrases: ['nausea and vomiting', 'nausea with vomiting'], code: 'R11.2' },
  { id: 'nausea', phrases: ['nausea'], code: 'R11.0' },
  { id: 'diarrhea', phrases: ['diarrhea'], code: 'R19.7' },
  { id: 'gastroenteritis', phrases: ['gastroenteritis', 'stomach flu'], code: 'K52.9' },
  { id: 'diverticulosis', phrases: ['diverticulosis'], code: 'K57.30' },
  { id: 'hemorrhoids', phrases: ['hemorrhoids'], code: 'K64.9' },
  // Mental and behavioural
  { id: 'depression', phrases: ['depression', 'depressive disorder'], code: 'F32.A' },
  { id: 'major-depressive-disorder', phrases: ['major depressive disorder', 'major depression'], code: 'F32.9', family: ['F32', 'F33'] },
  { id: 'recurrent-depression', phrases: ['recurrent major depressive disorder', 'recurrent depression'], code: 'F33.9', family: ['F33'] },
  { id: 'anxiety', phrases: ['anxiety', 'anxiety disorder'], code: 'F41.9', family: ['F41'] },
  { id: 'generalized-anxiety-disorder', phrases: ['generalized anxiety disorder'], code: 'F41.1' },
  { id: 'panic-disorder', phrases: ['panic disorder', 'panic attacks'], code: 'F41.0' },
  { id: 'ptsd', phrases: ['post-traumatic stress disorder', 'posttraumatic stress disorder'], code: 'F43.10', family: ['F43.1'] },
  { id: 'adjustment-disorder', phrases: ['adjustment disorder'], code: 'F43.20', family: ['F43.2'] },
  { id: 'bipolar-disorder', phrases: ['bipolar disorder', 'bipolar'], code: 'F31.9' },
  { id: 'adhd', phrases: ['attention-deficit hyperactivity disorder', 'attention deficit disorder'], code: 'F90.9', family: ['F90'] },
  { id: 'insomnia', phrases: ['insomnia'], code: 'G47.00', family: ['G47.0'] },
  { id: 'nicotine-dependence', phrases: ['nicotine dependence', 'tobacco dependence'], code: 'F17.200', family: ['F17.2'] },
  { id: 'tobacco-use', phrases: ['tobacco use', 'smoker', 'current smoker', 'smoking'], code: 'Z72.0' },
  { id: 'alcohol-dependence', phrases: ['alcohol dependence', 'alcohol use disorder', 'alcoholism'], code: 'F10.20' },
  { id: 'alcohol-abuse', phrases: ['alcohol abuse'], code: 'F10.10' },
  { id: 'opioid-dependence', phrases: ['opioid dependence', 'opioid use disorder'], code: 'F11.20' },
  { id: 'dementia', phrases: ['dementia'], code: 'F03.90' },
  { id: 'alzheimers-disease', phrases: ['alzheimers disease', 'alzheimers', 'alzheimer disease'], code: 'G30.9' },
  // Musculoskeletal and nervous system
  { id: 'low-back-pain', phrases: ['low back pain', 'lower back pain', 'lumbago'], code: 'M54.50', family: ['M54.5'] },
  { id: 'back-pain', phrases: ['back pain', 'dorsalgia'], code: 'M54.9' },
  { id: 'neck-pain', phrases: ['neck pain', 'cervicalgia'], code: 'M54.2' },
  { id: 'sciatica', phrases: ['sciatica'], code: 'M54.30', family: ['M54.3'] },
  { id: 'knee-pain', phrases: ['knee pain'], code: 'M25.569', family: ['M25.56'] },
  { id: 'shoulder-pain', phrases: ['shoulder pain'], code: 'M25.519', family: ['M25.51'] },
  {
    id: 'osteoarthritis',
    phrases: ['osteoarthritis', 'degenerative joint disease', 'arthrosis'],
    code: 'M19.90',
    family: ['M15', 'M16', 'M17', 'M18', 'M19'],
  },
  { id: 'knee-osteoarthritis', phrases: ['osteoarthritis of knee', 'knee osteoarthritis'], code: 'M17.9', family: ['M17'] },
  { id: 'hip-osteoarthritis', phrases: ['osteoarthritis of hip', 'hip osteoarthritis'], code: 'M16.9', family: ['M16'] },
  { id: 'rheumatoid-arthritis', phrases: ['rheumatoid arthritis'], code: 'M06.9' },
  { id: 'gout', phrases: ['gout'], code: 'M10.9' },
  { id: 'osteoporosis', phrases: ['osteoporosis'], code: 'M81.0' },
  { id: 'fibromyalgia', phrases: ['fibromyalgia'], code: 'M79.7' },
  { id: 'myalgia', phrases: ['myalgia', 'muscle pain', 'muscle aches'], code: 'M79.10' },
  { id: 'plantar-fasciitis', phrases: ['plantar fasciitis'], code: 'M72.2' },
  { id: 'carpal-tunnel-syndrome', phrases: ['carpal tunnel syndrome'], code: 'G56.00', family: ['G56.0'] },
  { id: 'neuropathy', phrases: ['peripheral neuropathy', 'neuropathy', 'polyneuropathy'], code: 'G62.9' },
  { id: 'restless-legs', phrases: ['restless legs syndrome', 'restless legs'], code: 'G25.81' },
  { id: 'migraine', phrases: ['migraine', 'migraines', 'migraine headache'], code: 'G43.909', family: ['G43'] },
  { id: 'tension-headache', phrases: ['tension headache', 'tension type headache'], code: 'G44.209', family: ['G44.2'] },
  { id: 'headache', phrases: ['headache', 'headaches'], code: 'R51.9' },
  { id: 'epilepsy', phrases: ['epilepsy', 'seizure disorder'], code: 'G40.909', family: ['G40'] },
  { id: 'parkinsons-disease', phrases: ['parkinsons disease', 'parkinsons'], code: 'G20.A1', family: ['G20'] },
  { id: 'multiple-sclerosis', phrases: ['multiple sclerosis'], code: 'G35.D', family: ['G35'] },
  { id: 'dizziness', phrases: ['dizziness', 'lightheadedness', 'vertigo'], code: 'R42' },
  { id: 'syncope', phrases: ['syncope', 'fainting'], code: 'R55' },
  // Skin, eyes, ears, infections
  { id: 'eczema', phrases: ['eczema', 'dermatitis'], code: 'L30.9' },
  { id: 'atopic-dermatitis', phrases: ['atopic dermatitis'], code: 'L20.9' },
  { id: 'contact-dermatitis', phrases: ['contact dermatitis'], code: 'L25.9' },
  { id: 'acne', phrases: ['acne', 'acne vulgaris'], code: 'L70.0' },
  { id: 'psoriasis', phrases: ['psoriasis'], code: 'L40.0' },
  { id: 'cellulitis', phrases: ['cellulitis'], code: 'L03.90', family: ['L03'] },
  { id: 'urticaria', phrases: ['urticaria', 'hives'], code: 'L50.9' },
  { id: 'rash', phrases: ['rash', 'skin rash'], code: 'R21' },
  { id: 'actinic-keratosis', phrases: ['actinic keratosis'], code: 'L57.0' },
  { id: 'seborrheic-keratosis', phrases: ['seborrheic keratosis'], code: 'L82.1' },
  { id: 'onychomycosis', phrases: ['onychomycosis', 'toenail fungus'], code: 'B35.1' },
  { id: 'wart', phrases: ['wart', 'warts', 'verruca'], code: 'B07.9' },
  { id: 'herpes-zoster', phrases: ['herpes zoster', 'shingles'], code: 'B02.9' },
  { id: 'viral-infection', phrases: ['viral infection', 'viral illness', 'viral syndrome'], code: 'B34.9' },
  { id: 'conjunctivitis', phrases: ['conjunctivitis', 'pink eye'], code: 'H10.9' },
  { id: 'otitis-media', phrases: ['otitis media', 'ear infection', 'acute otitis media'], code: 'H66.90', family: ['H66.9'] },
  { id: 'otitis-externa', phrases: ['otitis externa', 'swimmers ear'], code: 'H60.90', family: ['H60.9'] },
  { id: 'cerumen-impaction', phrases: ['cerumen impaction', 'impacted cerumen', 'impacted earwax'], code: 'H61.20', family: ['H61.2'] },
  { id: 'tinnitus', phrases: ['tinnitus'], code: 'H93.19', family: ['H93.1'] },
  { id: 'hearing-loss', phrases: ['hearing loss'], code: 'H91.90', family: ['H91.9'] },
  { id: 'glaucoma', phrases: ['glaucoma'], code: 'H40.9' },
  // Symptoms
  { id: 'fever', phrases: ['fever'], code: 'R50.9' },
  { id: 'fatigue', phrases: ['fatigue', 'tiredness'], code: 'R53.83' },
  { id: 'weight-loss', phrases: ['weight loss', 'unintentional weight loss'], code: 'R63.4' },
  { id: 'weight-gain', phrases: ['weight gain'], code: 'R63.5' },
  { id: 'edema', phrases: ['edema', 'swelling of legs', 'leg swelling'], code: 'R60.9', family: ['R60'] },
  // Encounters
  {
    id: 'adult-physical',
    phrases: [
      'annual physical',
      'annual visit',
      'annual exam',
      'annual examination',
      'annual wellness visit',
      'routine physical',
      'wellness exam',
      'general adult medical examination',
    ],
    code: 'Z00.00',
    family: ['Z00.0'],
  },
  {
    id: 'well-child',
    phrases: ['well child visit', 'well child check', 'routine child health examination'],
    code: 'Z00.129',
    family: ['Z00.12'],
  },
  { id: 'preoperative-exam', phrases: ['preoperative examination', 'preoperative evaluation', 'pre-op evaluation'], code: 'Z01.818' },
  { id: 'immunization', phrases: ['flu shot', 'flu vaccine', 'vaccination', 'immunization'], code: 'Z23' },
  {
    id: 'colon-cancer-screening',
    phrases: ['screening colonoscopy', 'colon cancer screening', 'colorectal cancer screening'],
    code: 'Z12.11',
  },
  { id: 'breast-cancer-screening', phrases: ['screening mammogram', 'breast cancer screening'], code: 'Z12.31' },
  { id: 'cervical-cancer-screening', phrases: ['pap smear', 'cervical cancer screening'], code: 'Z12.4' },
  { id: 'prostate-cancer-screening', phrases: ['prostate cancer screening'], code: 'Z12.5' },
  { id: 'diabetes-screening', phrases: ['diabetes screening', 'screening for diabetes'], code: 'Z13.1' },
  { id: 'depression-screening', phrases: ['depression screening', 'screening for depression'], code: 'Z13.31' },
  { id: 'lipid-screening', phrases: ['lipid screening', 'cholesterol screening', 'screening for lipid disorders'], code: 'Z13.220' },
  { id: 'dietary-counseling', phrases: ['dietary counseling', 'nutrition counseling'], code: 'Z71.3' },
  {
    id: 'anticoagulant-use',
    phrases: ['long term anticoagulation', 'long-term use of anticoagulants', 'chronic anticoagulation'],
    code: 'Z79.01',
  },
  { id: 'insulin-use', phrases: ['long term insulin use', 'long-term use of insulin', 'insulin dependent'], code: 'Z79.4' },
  { id: 'medication-refill', phrases: ['medication refill', 'prescription refill'], code: 'Z76.0' },
];

/**
 * ICD-10-CM guideline I.C.9.a presumes a causal link between hypertension and heart failure or
 * chronic kidney disease: the combination code replaces I10, and the heart failure and CKD codes
 * stay beside it. `stage5`: the code when CKD is stage 5 or end stage (N18.5, N18.6).
 */
export interface Combination {
  readonly replaces: string;
  readonly with: readonly string[];
  readonly code: string;
  readonly stage5?: string;
}

export const combinations: readonly Combination[] = [
  { replaces: 'hypertension', with: ['heart-failure', 'chronic-kidney-disease'], code: 'I13.0', stage5: 'I13.2' },
  { replaces: 'hypertension', with: ['heart-failure'], code: 'I11.0' },
  { replaces: 'hypertension', with: ['chronic-kidney-disease'], code: 'I12.9', stage5: 'I12.0' },
];
