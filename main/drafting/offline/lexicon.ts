/**
 * Clinical vocabulary the offline drafter recognises. General outpatient terms, written from
 * clinical knowledge, not from any evaluation set: what a note would keep and a chat would not.
 */
const words = (text: string): ReadonlySet<string> => new Set(text.trim().split(/\s+/));

/** Symptoms and complaints, as patients and clinicians say them (single words). */
export const SYMPTOMS = words(`
  pain pains painful ache aches aching achy hurt hurts hurting sore soreness tender tenderness cramp cramps cramping
  cough coughing fever fevers chills sweats sweating nausea nauseous vomiting vomit throwing diarrhea constipation
  constipated bloating bloated heartburn reflux indigestion headache headaches migraine migraines dizzy dizziness
  lightheaded lightheadedness vertigo fatigue fatigued tired tiredness exhausted weakness weak numb numbness tingling
  swelling swollen swelled rash rashes itch itching itchy hives bleeding bleed bruising bruise bruises
  wheezing wheeze congestion congested runny sneezing stuffy phlegm sputum mucus palpitations racing
  insomnia sleep sleeping snoring anxiety anxious depressed depression stress stressed panic worry worried
  stiffness stiff spasm spasms pop popping clicking locking instability buckling limping limp
  burning urination urinating urine frequency urgency incontinence leaking discharge
  blurry blurred vision hearing ringing tinnitus earache
  appetite weight thirst thirsty shaking tremor tremors seizure seizures fainting fainted syncope
  shortness breath breathing sob choking swallowing hoarse hoarseness lump lumps mass wound cut laceration
  fall fell injury injured twisted sprained sprain fracture broke broken trauma accident
  confusion forgetful memory mood irritable sad crying
  flare flares flareup relapse worse worsening better improving improved
`);

/** Body parts and systems. */
export const BODY_PARTS = words(`
  head neck throat ear ears eye eyes nose sinus sinuses mouth teeth tooth jaw face scalp
  chest breast breasts rib ribs heart lung lungs abdomen abdominal belly stomach tummy bowel bowels back spine
  shoulder shoulders arm arms elbow elbows wrist wrists hand hands finger fingers thumb hip hips groin pelvis pelvic
  leg legs thigh knee knees calf calves shin ankle ankles foot feet toe toes heel skin joint joints muscle muscles
  kidney kidneys liver bladder prostate colon rectum uterus ovary ovaries thyroid gland glands lymph nodes
  brain nerve nerves vein veins artery arteries bone bones tendon tendons ligament ligaments meniscus acl mcl rotator cuff
  lumbar cervical thoracic lower upper left right bilateral
`);

/** Diagnoses and conditions. */
export const CONDITIONS = words(`
  diabetes diabetic hypertension pressure cholesterol hyperlipidemia asthma copd emphysema bronchitis pneumonia
  infection infections virus viral bacterial flu influenza covid cold strep sinusitis otitis
  arthritis osteoarthritis gout osteoporosis fibromyalgia lupus
  cancer tumor carcinoma lymphoma leukemia melanoma
  failure chf afib fibrillation arrhythmia murmur stroke attack angina coronary
  thyroid hypothyroidism hyperthyroidism anemia obesity apnea
  gerd ulcer gastritis colitis crohn's ibs hernia gallstones pancreatitis hepatitis cirrhosis
  kidney renal stones uti cystitis
  eczema psoriasis acne dermatitis cellulitis
  migraine concussion neuropathy sciatica stenosis
  dementia alzheimer's parkinson's epilepsy
  ptsd adhd bipolar schizophrenia
  pregnancy pregnant menopause
  tear torn strain sprain fracture dislocation tendinitis tendonitis bursitis
  condition disease disorder syndrome history diagnosis chronic acute
  depression anxiety insomnia migraines
  enzymes deficiency exacerbation nodule nodules polyp polyps cyst cysts adenoma lesion lesions gain loss
  hyperglycemia hypoglycemia hirsutism vulgaris hemianopia pneumonitis nephrolithiasis epicondylitis tendinopathy contusion
`);

/** Care words: medicines, tests, procedures, plans. */
export const CARE = words(`
  medication medications medicine medicines med meds pill pills tablet tablets dose doses dosage prescription prescribe
  prescribed refill refills injection injections shot shots vaccine vaccination inhaler insulin cream ointment drops
  mg milligram milligrams mcg units
  test tests testing lab labs bloodwork blood work results x-ray xray mri ct scan ultrasound echocardiogram echo ekg ecg
  biopsy colonoscopy mammogram a1c hemoglobin urinalysis culture
  surgery procedure operation therapy physical referral refer specialist appointment follow followup
  exam examination diet exercise exercising smoking smoke alcohol drinking
`);

/**
 * Generic drug names common in outpatient care, and brand names patients say. A dose next to an
 * unknown word is still read as a medication; this list catches mentions without a dose.
 */
export const DRUGS = words(`
  acetaminophen tylenol ibuprofen advil motrin naproxen aleve aspirin meloxicam mobic celecoxib celebrex diclofenac
  tramadol oxycodone hydrocodone norco percocet codeine morphine gabapentin neurontin pregabalin lyrica
  cyclobenzaprine flexeril methocarbamol tizanidine baclofen prednisone prednisolone methylprednisolone medrol dexamethasone
  lisinopril enalapril ramipril benazepril losartan valsartan irbesartan olmesartan amlodipine norvasc nifedipine diltiazem
  verapamil metoprolol atenolol carvedilol propranolol bisoprolol hydrochlorothiazide hctz chlorthalidone furosemide lasix
  bumetanide torsemide spironolactone clonidine hydralazine
  atorvastatin lipitor simvastatin rosuvastatin crestor pravastatin lovastatin ezetimibe
  metformin glucophage glipizide glyburide glimepiride sitagliptin januvia empagliflozin jardiance dapagliflozin farxiga
  canagliflozin pioglitazone insulin lantus humalog novolog glargine lispro semaglutide ozempic wegovy dulaglutide trulicity
  liraglutide victoza tirzepatide mounjaro
  warfarin coumadin apixaban eliquis rivaroxaban xarelto clopidogrel plavix heparin
  levothyroxine synthroid methimazole
  omeprazole prilosec pantoprazole protonix esomeprazole nexium famotidine pepcid ranitidine zantac ondansetron zofran
  metoclopramide docusate miralax
  albuterol proair ventolin fluticasone flonase advair symbicort budesonide montelukast singulair tiotropium spiriva
  cetirizine zyrtec loratadine claritin fexofenadine allegra diphenhydramine benadryl
  amoxicillin augmentin azithromycin zithromax doxycycline cephalexin keflex ciprofloxacin levofloxacin
  nitrofurantoin macrobid bactrim sulfamethoxazole trimethoprim clindamycin penicillin metronidazole flagyl
  fluconazole diflucan valacyclovir valtrex acyclovir oseltamivir tamiflu
  sertraline zoloft fluoxetine prozac citalopram escitalopram lexapro paroxetine paxil bupropion wellbutrin
  venlafaxine effexor duloxetine cymbalta trazodone mirtazapine amitriptyline nortriptyline buspirone
  alprazolam xanax lorazepam ativan clonazepam klonopin diazepam valium zolpidem ambien melatonin
  quetiapine seroquel aripiprazole abilify risperidone olanzapine lithium lamotrigine lamictal levetiracetam keppra
  topiramate topamax sumatriptan imitrex rizatriptan
  methotrexate hydroxychloroquine plaquenil allopurinol colchicine alendronate fosamax
  tamsulosin flomax finasteride oxybutynin sildenafil tadalafil
  estradiol progesterone contraceptive testosterone
  vitamin iron calcium magnesium potassium folic
  epinephrine epipen nitroglycerin digoxin amiodarone
`);

/** Review-of-systems headings for symptoms, so negatives can be grouped the way notes group them. */
export const ROS_SYSTEMS: readonly (readonly [system: string, pattern: RegExp])[] = [
  ['Constitutional', /\b(fevers?|chills|sweats|weight (loss|gain|changes?)|fatigue|tired|appetite|malaise)\b/],
  ['Eyes', /\b(vision|blurr|eye)/],
  ['ENT', /\b(sore throat|ear|hearing|sinus|congestion|runny nose|nose|throat|swallow)/],
  [
    'Cardiovascular',
    /\b(chest pain|chest|palpitations|heart racing|leg swelling|swelling in (your|his|her|the) (legs|ankles|feet)|edema)\b/,
  ],
  ['Respiratory', /\b(shortness of breath|short of breath|cough|wheez|breathing)/],
  ['Gastrointestinal', /\b(nausea|vomit|diarrhea|constipation|abdominal|stomach|belly|bowel|blood in (the|your) stool|heartburn|reflux)/],
  ['Genitourinary', /\b(urin|bladder|burning|discharge|incontinence)/],
  ['Musculoskeletal', /\b(joint|muscle|back pain|stiffness|knee|shoulder|hip|ankle|neck pain)/],
  ['Skin', /\b(rash|itch|skin|lesion|bruis)/],
  ['Neurological', /\b(headache|dizz|lightheaded|numb|tingl|weakness|seizure|faint|syncope|vertigo|confusion)/],
  ['Psychiatric', /\b(depress|anxi|mood|sleep|insomnia|stress)/],
];

/** Abbreviations and names notes write in capitals. */
export const CASING: ReadonlyMap<string, string> = new Map(
  Object.entries({
    mri: 'MRI',
    ct: 'CT',
    ekg: 'EKG',
    ecg: 'ECG',
    copd: 'COPD',
    chf: 'CHF',
    gerd: 'GERD',
    uti: 'UTI',
    acl: 'ACL',
    mcl: 'MCL',
    a1c: 'A1c',
    bmi: 'BMI',
    nsaid: 'NSAID',
    nsaids: 'NSAIDs',
    hiv: 'HIV',
    ptsd: 'PTSD',
    adhd: 'ADHD',
    ibs: 'IBS',
    er: 'ER',
    icu: 'ICU',
    bp: 'BP',
    hctz: 'HCTZ',
    covid: 'COVID',
    ldl: 'LDL',
    hdl: 'HDL',
    tsh: 'TSH',
    psa: 'PSA',
    cbc: 'CBC',
    ent: 'ENT',
    i: 'I',
    "i'm": "I'm",
    "i've": "I've",
    "i'll": "I'll",
    "i'd": "I'd",
    'x-ray': 'X-ray',
    afib: 'AFib',
    dvt: 'DVT',
    pt: 'PT',
  }),
);

/** What an examination finds. */
export const EXAM_TERMS = words(`
  edema murmurs wheezes wheezing rales crackles rhonchi gallop gallops rub rubs lymphadenopathy effusion erythema
  ecchymosis tenderness range motion reflexes pulses sensation strength clubbing cyanosis distention distended
  exudate exudates palpation auscultation supple nontender non-tender atraumatic
`);

export function isClinicalWord(word: string): boolean {
  return SYMPTOMS.has(word) || BODY_PARTS.has(word) || CONDITIONS.has(word) || CARE.has(word) || DRUGS.has(word) || EXAM_TERMS.has(word);
}

/** Suffixes of generic drug classes: an unknown word with one of these before a dose is a medicine. */
export const DRUG_SUFFIX =
  /(pril|sartan|olol|dipine|statin|formin|gliptin|gliflozin|glutide|azole|cillin|mycin|oxacin|cycline|prazole|tidine|triptan|setron|lukast|afil|osin|pine|pam|lam|done|codone|barb|parin|xaban|mab|nib|vir|tine|pine|ide|one|ine|ol)$/;
