using System.Text.Json.Serialization;

namespace Halflife.Reporting.Parsing;

// The closed vocabularies of the structured report. Enums serialise as their names so that the JSON
// stays readable by people who build research data sets from it.

/// <summary>A skeletal region a bone-scan finding can refer to.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SkeletalSite>))]
public enum SkeletalSite
{
    Skull, FacialBones, Spine, CervicalSpine, ThoracicSpine, LumbarSpine, Sacrum, Coccyx,
    Rib, Sternum, Clavicle, Scapula, Pelvis, Ilium, Ischium, Pubis, Acetabulum, SacroiliacJoint,
    SternoclavicularJoint, Humerus, Forearm, Femur, Tibia, Fibula, LongBones,
    Shoulder, Elbow, Wrist, Hand, Hip, Knee, Ankle, Foot, Joint, AxialSkeleton,
}

[JsonConverter(typeof(JsonStringEnumConverter<Laterality>))]
public enum Laterality { None, Left, Right, Bilateral }

/// <summary>What the scan shows at the site (the sign), independent of what it means.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Observation>))]
public enum Observation { Unspecified, IncreasedUptake, DecreasedUptake, AbnormalUptake }

/// <summary>What the reader thinks the sign is (the diagnosis), when the report says so.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Interpretation>))]
public enum Interpretation { None, Metastasis, Fracture, Degenerative, Arthritis, PostSurgical, Paget, Infection, Benign }

/// <summary>Whether the finding is asserted, denied, or hedged (r/o, 의심, cannot exclude...).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Assertion>))]
public enum Assertion { Present, Negated, Uncertain }

[JsonConverter(typeof(JsonStringEnumConverter<ImpressionCategory>))]
public enum ImpressionCategory { NoMetastasis, Metastasis, Equivocal, Degenerative, Fracture, Other }

[JsonConverter(typeof(JsonStringEnumConverter<ComparisonChange>))]
public enum ComparisonChange { NotStated, Stable, Improved, Progressed, New, Mixed, NoPrior }

[JsonConverter(typeof(JsonStringEnumConverter<RecommendationKind>))]
public enum RecommendationKind { Imaging, FollowUp, ClinicalCorrelation, Biopsy, FurtherEvaluation }

[JsonConverter(typeof(JsonStringEnumConverter<Modality>))]
public enum Modality { None, Mri, Ct, Radiograph, Spect, Pet, BoneScan }

[JsonConverter(typeof(JsonStringEnumConverter<SectionKind>))]
public enum SectionKind { Body, Findings, Impression, History, Technique, Comparison, Recommendation }
