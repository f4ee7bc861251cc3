/**
 * Bedrock models an agent can name: their lifecycle, the id forms Bedrock accepts, and the IAM each
 * form needs. Pure data and functions: no cdktf, no AWS calls (`npm run preflight` asks AWS live).
 *
 * Sources (read 2026-11-26): the Amazon Bedrock user guide's model cards (Claude 3 Haiku, Claude 3.5
 * Haiku, Claude Haiku 4.5, Claude Haiku 5.5), "Model lifecycle" and "Model lifecycle (Legacy)", and
 * "Supported Regions for Amazon Bedrock Agents" ("Amazon Bedrock Agents supports all models
 * supported by Amazon Bedrock"). Bedrock's own dates apply, not the model providers'.
 */

/** Lifecycle of a model in one region. Dates are ISO `YYYY-MM-DD`. */
export interface Lifecycle {
  /** Legacy since this date, or `true` when Legacy with the date not recorded here. @default - Active */
  readonly legacy?: string | true;
  /** End of life: requests fail from this date on. @default - none announced */
  readonly eol?: string;
}

export interface KnownModel {
  /** The foundation model id, e.g. `anthropic.claude-haiku-5-5`. */
  readonly id: string;
  /** The name Bedrock shows, e.g. `Claude Haiku 5.5`. */
  readonly name: string;
  /** The lifecycle in most regions. */
  readonly lifecycle: Lifecycle;
  /** Regions where it differs. */
  readonly regions?: Readonly<Record<string, Lifecycle>>;
  /** Where the dates come from. */
  readonly source: string;
}

const CARD = 'https://docs.aws.amazon.com/bedrock/latest/userguide/model-card-';

/** Models whose lifecycle matters to an agent's default or to users upgrading from an old default. */
export const KNOWN_MODELS: readonly KnownModel[] = [
  {
    id: 'anthropic.claude-3-haiku-20240307-v1:0',
    name: 'Claude 3 Haiku',
    lifecycle: { legacy: true, eol: '2026-09-10' },
    // "Reached end of life on 2026-09-10 in most regions ... remains available in ca-central-1,
    // eu-central-2 and sa-east-1, and Legacy in ap-northeast-2."
    regions: {
      'ca-central-1': { legacy: true },
      'eu-central-2': { legacy: true },
      'sa-east-1': { legacy: true },
      'ap-northeast-2': { legacy: true },
    },
    source: `${CARD}anthropic-claude-3-haiku.html`,
  },
  {
    id: 'anthropic.claude-3-5-haiku-20241022-v1:0',
    name: 'Claude 3.5 Haiku',
    lifecycle: { legacy: true, eol: '2026-06-19' },
    source: `${CARD}anthropic-claude-3-5-haiku.html`,
  },
  {
    id: 'anthropic.claude-haiku-4-5-20251001-v1:0',
    name: 'Claude Haiku 4.5',
    // Active at the last check, "EOL no sooner than 2026-10-01": preflight asks GetFoundationModel.
    lifecycle: {},
    source: `${CARD}anthropic-claude-haiku-4-5.html`,
  },
  {
    id: 'anthropic.claude-haiku-5-5',
    name: 'Claude Haiku 5.5',
    // Launched 2026-10-07; "EOL no sooner than 2027-10-07", 6-month Legacy period.
    lifecycle: {},
    source: `${CARD}anthropic-claude-haiku-5-5.html`,
  },
];

/** The model the agent uses unless told otherwise (Active, supported by Bedrock Agents). */
export const DEFAULT_AGENT_MODEL = 'anthropic.claude-haiku-5-5';

/**
 * Prefixes of system-defined cross-Region inference profiles: `<prefix>.<model id>`. A geography
 * (`us`, `eu`, ...) keeps inference in that geography; `global` routes to any commercial region.
 */
export const INFERENCE_PROFILE_PREFIXES = ['us', 'us-gov', 'eu', 'apac', 'jp', 'au', 'ca', 'global'] as const;
export type InferenceProfilePrefix = (typeof INFERENCE_PROFILE_PREFIXES)[number];

/** A model reference an agent names: an in-region foundation model or a cross-Region inference profile. */
export type ModelRef =
  | { readonly kind: 'foundation-model'; readonly modelId: string }
  | {
      readonly kind: 'inference-profile';
      readonly profileId: string;
      readonly prefix: InferenceProfilePrefix;
      readonly modelId: string;
    };

/** `<provider>.<model>[:version]`, e.g. `anthropic.claude-haiku-5-5`, `amazon.nova-lite-v1:0`. */
const MODEL_ID = /^[a-z0-9-]+\.[A-Za-z0-9][A-Za-z0-9.:-]*$/;

/** Parses a model or inference-profile id; null when it is neither. */
export function parseModelRef(ref: string): ModelRef | null {
  if (typeof ref !== 'string' || ref.length > 2048) return null;
  // Longest prefix first: `us-gov.` before `us.`.
  const prefix = [...INFERENCE_PROFILE_PREFIXES]
    .sort((a, b) => b.length - a.length)
    .find((p) => ref.startsWith(`${p}.`));
  if (prefix) {
    const modelId = ref.slice(prefix.length + 1);
    return MODEL_ID.test(modelId) ? { kind: 'inference-profile', profileId: ref, prefix, modelId } : null;
  }
  return MODEL_ID.test(ref) ? { kind: 'foundation-model', modelId: ref } : null;
}

/** The inference profile that keeps inference in the region's geography, or `global` elsewhere; undefined for GovCloud and China. */
export function geographicProfilePrefix(region: string): InferenceProfilePrefix | undefined {
  if (region.startsWith('us-gov-') || region.startsWith('cn-')) return undefined;
  if (region.startsWith('us-')) return 'us';
  if (region.startsWith('eu-')) return 'eu';
  if (region === 'ap-northeast-1' || region === 'ap-northeast-3') return 'jp';
  if (region === 'ap-southeast-2' || region === 'ap-southeast-4') return 'au';
  return 'global';
}

/**
 * The default model reference for an agent in `region`: {@link DEFAULT_AGENT_MODEL} through the
 * region's geographic inference profile (current Claude models are served in-region only through
 * inference profiles). Undefined where none is known: name a model explicitly there.
 */
export function defaultAgentModel(region: string): string | undefined {
  const prefix = geographicProfilePrefix(region);
  return prefix && `${prefix}.${DEFAULT_AGENT_MODEL}`;
}

export interface LifecycleFinding {
  /** `'error'` past the end of life (requests fail), `'warning'` for a Legacy model. */
  readonly severity: 'error' | 'warning';
  /** What to do, naming the model, the region and the date. */
  readonly message: string;
}

/**
 * What the table knows about `ref` in `region` on `today` (`YYYY-MM-DD`): an error for a model past
 * its end of life, a warning for a Legacy one, naming the model and the date; null for an Active or
 * unknown model (unknown is for preflight to ask AWS about).
 */
export function modelLifecycleFinding(ref: string, region: string, today: string): LifecycleFinding | null {
  const parsed = parseModelRef(ref);
  if (!parsed) return null;
  const known = KNOWN_MODELS.find((m) => m.id === parsed.modelId);
  if (!known) return null;
  const life = known.regions?.[region] ?? known.lifecycle;
  const named = `${known.name} (${parsed.modelId})`;
  const newer = `use an Active model, e.g. "${defaultAgentModel(region) ?? DEFAULT_AGENT_MODEL}"`;
  if (life.eol !== undefined && today >= life.eol) {
    return {
      severity: 'error',
      message: `${named} reached end of life in ${region} on ${life.eol}: every request fails; ${newer} (source: ${known.source})`,
    };
  }
  if (life.legacy !== undefined || life.eol !== undefined) {
    const until = life.eol !== undefined ? `until its end of life on ${life.eol}` : 'with an end-of-life date to come';
    return {
      severity: 'warning',
      message: `${named} is Legacy in ${region}, usable ${until}; ${newer} (source: ${known.source})`,
    };
  }
  return null;
}

/** One IAM statement, shaped like `modules/core/iam`'s `Statement`. */
export interface ModelStatement {
  readonly sid: string;
  readonly actions: string[];
  readonly resources: string[];
}

export interface ModelArnContext {
  readonly partition: string;
  /** The region the agent runs in (the inference profile's source region). */
  readonly region: string;
  readonly accountId: string;
  /**
   * The regions an inference profile routes to, when known (GetInferenceProfile lists them).
   * @default - every region (`*`) for that one model
   */
  readonly destinationRegions?: readonly string[];
}

const INVOKE = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];

/** The ARN of a system-defined inference profile in the source region. */
export function inferenceProfileArn(
  profileId: string,
  ctx: Pick<ModelArnContext, 'partition' | 'region' | 'accountId'>,
) {
  return `arn:${ctx.partition}:bedrock:${ctx.region}:${ctx.accountId}:inference-profile/${profileId}`;
}

/**
 * What an agent's service role needs to invoke `ref`:
 * - a foundation model: InvokeModel(WithResponseStream) on that model's ARN in the region;
 * - an inference profile: the same plus GetInferenceProfile on the profile's ARN, and
 *   InvokeModel(WithResponseStream) + GetFoundationModel on the model's ARN in every region the
 *   profile routes to (a policy naming only the in-region model is denied at run time). Unknown
 *   destinations are `*`, scoped to that one model; a `global` profile also needs the region-less ARN,
 *   which `*` covers.
 * @throws when `ref` is not a model or inference-profile id
 */
export function modelInvokeStatements(ref: string, ctx: ModelArnContext): ModelStatement[] {
  const parsed = parseModelRef(ref);
  if (!parsed) throw new Error(`not a Bedrock model or inference-profile id: ${JSON.stringify(ref)}`);
  const modelArn = (region: string) => `arn:${ctx.partition}:bedrock:${region}::foundation-model/${parsed.modelId}`;
  if (parsed.kind === 'foundation-model') {
    return [{ sid: 'InvokeFoundationModel', actions: INVOKE, resources: [modelArn(ctx.region)] }];
  }
  const destinations = ctx.destinationRegions
    ? [...new Set(ctx.destinationRegions)].sort().map(modelArn)
    : [modelArn('*')];
  if (ctx.destinationRegions && parsed.prefix === 'global') destinations.push(modelArn(''));
  return [
    {
      sid: 'InvokeInferenceProfile',
      actions: [...INVOKE, 'bedrock:GetInferenceProfile'],
      resources: [inferenceProfileArn(parsed.profileId, ctx)],
    },
    {
      sid: 'InvokeProfileDestinations',
      actions: [...INVOKE, 'bedrock:GetFoundationModel'],
      resources: destinations,
    },
  ];
}
