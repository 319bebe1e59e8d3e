/**
 * Abbreviations clinicians write in assessments and type into a code search, with what each stands
 * for in ICD-10-CM's own words. The first expansion is the usual meaning; search tries them all.
 * `ambiguous` marks abbreviations with more than one common meaning (PE: pulmonary embolism or
 * physical exam): search offers every meaning, suggestions never code from them alone.
 */
export interface Abbreviation {
  readonly abbr: string;
  readonly expansions: readonly string[];
  readonly ambiguous?: boolean;
}

export const abbreviations: readonly Abbreviation[] = [
  // Cardiovascular
  { abbr: 'HTN', expansions: ['hypertension'] },
  { abbr: 'HBP', expansions: ['hypertension'] },
  { abbr: 'CHF', expansions: ['congestive heart failure', 'heart failure'] },
  { abbr: 'HF', expansions: ['heart failure'] },
  { abbr: 'HFrEF', expansions: ['systolic heart failure', 'heart failure with reduced ejection fraction'] },
  { abbr: 'HFpEF', expansions: ['diastolic heart failure', 'heart failure with preserved ejection fraction'] },
  { abbr: 'CAD', expansions: ['coronary artery disease', 'atherosclerotic heart disease'] },
  { abbr: 'ASCVD', expansions: ['atherosclerotic heart disease'] },
  { abbr: 'MI', expansions: ['myocardial infarction'] },
  { abbr: 'AMI', expansions: ['acute myocardial infarction'] },
  { abbr: 'NSTEMI', expansions: ['non-ST elevation myocardial infarction'] },
  { abbr: 'STEMI', expansions: ['ST elevation myocardial infarction'] },
  { abbr: 'AFib', expansions: ['atrial fibrillation'] },
  { abbr: 'AF', expansions: ['atrial fibrillation'] },
  { abbr: 'AFL', expansions: ['atrial flutter'] },
  { abbr: 'SVT', expansions: ['supraventricular tachycardia'] },
  { abbr: 'PVC', expansions: ['premature ventricular contractions'] },
  { abbr: 'PAD', expansions: ['peripheral vascular disease', 'peripheral arterial disease'] },
  { abbr: 'PVD', expansions: ['peripheral vascular disease'] },
  { abbr: 'DVT', expansions: ['deep vein thrombosis', 'deep vein thrombosis of lower extremity'] },
  { abbr: 'PE', expansions: ['pulmonary embolism'], ambiguous: true },
  { abbr: 'VTE', expansions: ['venous thromboembolism', 'venous embolism and thrombosis'] },
  { abbr: 'CVA', expansions: ['cerebral infarction', 'stroke'] },
  { abbr: 'TIA', expansions: ['transient ischemic attack', 'transient cerebral ischemic attack'] },
  { abbr: 'AAA', expansions: ['abdominal aortic aneurysm'] },
  { abbr: 'LVH', expansions: ['left ventricular hypertrophy'] },
  { abbr: 'AS', expansions: ['aortic stenosis', 'aortic valve stenosis'], ambiguous: true },
  { abbr: 'CP', expansions: ['chest pain'], ambiguous: true },
  // Endocrine and metabolic
  { abbr: 'DM', expansions: ['diabetes mellitus'] },
  { abbr: 'T2DM', expansions: ['type 2 diabetes mellitus'] },
  { abbr: 'T2D', expansions: ['type 2 diabetes mellitus'] },
  { abbr: 'DM2', expansions: ['type 2 diabetes mellitus'] },
  { abbr: 'DMII', expansions: ['type 2 diabetes mellitus'] },
  { abbr: 'NIDDM', expansions: ['type 2 diabetes mellitus'] },
  { abbr: 'T1DM', expansions: ['type 1 diabetes mellitus'] },
  { abbr: 'T1D', expansions: ['type 1 diabetes mellitus'] },
  { abbr: 'DM1', expansions: ['type 1 diabetes mellitus'] },
  { abbr: 'IDDM', expansions: ['type 1 diabetes mellitus'] },
  { abbr: 'GDM', expansions: ['gestational diabetes mellitus'] },
  { abbr: 'DKA', expansions: ['diabetes mellitus with ketoacidosis'] },
  { abbr: 'HLD', expansions: ['hyperlipidemia'] },
  { abbr: 'HL', expansions: ['hyperlipidemia'], ambiguous: true },
  { abbr: 'HCL', expansions: ['hypercholesterolemia'] },
  { abbr: 'HTG', expansions: ['hypertriglyceridemia'] },
  { abbr: 'FH', expansions: ['familial hypercholesterolemia'], ambiguous: true },
  { abbr: 'VDD', expansions: ['vitamin D deficiency'] },
  { abbr: 'IDA', expansions: ['iron deficiency anemia'] },
  { abbr: 'NAFLD', expansions: ['nonalcoholic fatty liver disease', 'fatty liver'] },
  { abbr: 'MASLD', expansions: ['fatty liver'] },
  { abbr: 'PCOS', expansions: ['polycystic ovarian syndrome'] },
  // Respiratory
  { abbr: 'COPD', expansions: ['chronic obstructive pulmonary disease'] },
  { abbr: 'AECOPD', expansions: ['chronic obstructive pulmonary disease with exacerbation'] },
  { abbr: 'URI', expansions: ['upper respiratory infection'] },
  { abbr: 'URTI', expansions: ['upper respiratory infection'] },
  { abbr: 'LRTI', expansions: ['lower respiratory infection'] },
  { abbr: 'PNA', expansions: ['pneumonia'] },
  { abbr: 'CAP', expansions: ['pneumonia'] },
  { abbr: 'OSA', expansions: ['obstructive sleep apnea'] },
  { abbr: 'SOB', expansions: ['shortness of breath'] },
  { abbr: 'DOE', expansions: ['dyspnea on exertion', 'shortness of breath'] },
  { abbr: 'AR', expansions: ['allergic rhinitis', 'aortic regurgitation'], ambiguous: true },
  { abbr: 'RSV', expansions: ['respiratory syncytial virus'] },
  { abbr: 'COVID', expansions: ['COVID-19'] },
  { abbr: 'TB', expansions: ['tuberculosis'] },
  // Renal and genitourinary
  { abbr: 'UTI', expansions: ['urinary tract infection'] },
  { abbr: 'CKD', expansions: ['chronic kidney disease'] },
  { abbr: 'ESRD', expansions: ['end stage renal disease'] },
  { abbr: 'AKI', expansions: ['acute kidney failure', 'acute kidney injury'] },
  { abbr: 'BPH', expansions: ['benign prostatic hyperplasia'] },
  { abbr: 'LUTS', expansions: ['lower urinary tract symptoms'] },
  { abbr: 'OAB', expansions: ['overactive bladder'] },
  { abbr: 'SUI', expansions: ['stress incontinence'] },
  { abbr: 'ED', expansions: ['erectile dysfunction'], ambiguous: true },
  { abbr: 'BV', expansions: ['bacterial vaginosis'] },
  { abbr: 'STI', expansions: ['sexually transmitted infection'] },
  { abbr: 'STD', expansions: ['sexually transmitted disease'] },
  // Digestive
  { abbr: 'GERD', expansions: ['gastro-esophageal reflux disease'] },
  { abbr: 'GORD', expansions: ['gastro-esophageal reflux disease'] },
  { abbr: 'IBS', expansions: ['irritable bowel syndrome'] },
  { abbr: 'IBD', expansions: ['inflammatory bowel disease', 'crohns disease', 'ulcerative colitis'] },
  { abbr: 'UC', expansions: ['ulcerative colitis'] },
  { abbr: 'PUD', expansions: ['peptic ulcer'] },
  { abbr: 'NV', expansions: ['nausea with vomiting'] },
  { abbr: 'GI bleed', expansions: ['gastrointestinal hemorrhage'] },
  // Mental and behavioural
  { abbr: 'MDD', expansions: ['major depressive disorder'] },
  { abbr: 'GAD', expansions: ['generalized anxiety disorder'] },
  { abbr: 'ADHD', expansions: ['attention-deficit hyperactivity disorder'] },
  { abbr: 'ADD', expansions: ['attention-deficit hyperactivity disorder'], ambiguous: true },
  { abbr: 'PTSD', expansions: ['post-traumatic stress disorder'] },
  { abbr: 'OCD', expansions: ['obsessive-compulsive disorder'] },
  { abbr: 'ASD', expansions: ['autistic disorder', 'atrial septal defect'], ambiguous: true },
  { abbr: 'AUD', expansions: ['alcohol dependence'] },
  { abbr: 'OUD', expansions: ['opioid dependence'] },
  { abbr: 'ETOH', expansions: ['alcohol'], ambiguous: true },
  { abbr: 'MCI', expansions: ['mild cognitive impairment'] },
  // Musculoskeletal and nervous system
  { abbr: 'OA', expansions: ['osteoarthritis'] },
  { abbr: 'DJD', expansions: ['osteoarthritis'] },
  { abbr: 'RA', expansions: ['rheumatoid arthritis'] },
  { abbr: 'LBP', expansions: ['low back pain'] },
  { abbr: 'SLE', expansions: ['systemic lupus erythematosus'] },
  { abbr: 'PMR', expansions: ['polymyalgia rheumatica'] },
  { abbr: 'CTS', expansions: ['carpal tunnel syndrome'] },
  { abbr: 'RLS', expansions: ['restless legs syndrome'] },
  { abbr: 'MS', expansions: ['multiple sclerosis', 'mitral stenosis'], ambiguous: true },
  { abbr: 'PD', expansions: ['parkinsons disease'], ambiguous: true },
  { abbr: 'BPPV', expansions: ['benign paroxysmal vertigo'] },
  { abbr: 'HA', expansions: ['headache'], ambiguous: true },
  // Infections, eyes and ears, skin
  { abbr: 'OM', expansions: ['otitis media'] },
  { abbr: 'AOM', expansions: ['acute otitis media'] },
  { abbr: 'OE', expansions: ['otitis externa'] },
  { abbr: 'HSV', expansions: ['herpes simplex', 'herpesviral infection'] },
  { abbr: 'HZ', expansions: ['herpes zoster'] },
  { abbr: 'HIV', expansions: ['human immunodeficiency virus'] },
  { abbr: 'HCV', expansions: ['hepatitis C'] },
  { abbr: 'HBV', expansions: ['hepatitis B'] },
  { abbr: 'AK', expansions: ['actinic keratosis'] },
  { abbr: 'SK', expansions: ['seborrheic keratosis'] },
  // Drugs named in allergy and long-term use status
  { abbr: 'PCN', expansions: ['penicillin'] },
  { abbr: 'NSAID', expansions: ['non-steroidal anti-inflammatories'] },
  { abbr: 'NSAIDs', expansions: ['non-steroidal anti-inflammatories'] },
  // Encounters and status
  { abbr: 'BMI', expansions: ['body mass index'] },
  { abbr: 'WCC', expansions: ['routine child health examination'] },
  { abbr: 'AWV', expansions: ['general adult medical examination'] },
];

/** Lower case, letters and digits only: "A-fib", "AFib" and "afib" meet. */
export const abbreviationKey = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

export type AbbreviationTable = ReadonlyMap<string, Abbreviation>;

export function abbreviationTable(list: readonly Abbreviation[] = abbreviations): AbbreviationTable {
  const table = new Map<string, Abbreviation>();
  for (const entry of list) table.set(abbreviationKey(entry.abbr), entry);
  return table;
}
