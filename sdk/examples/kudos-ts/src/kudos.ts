// The acme/kudos block: a partner thanks someone on the vendor's team. It
// renders a card with a form from the UI kit (component trees are JSON, as
// sdk/ui's Marshal writes them: {"kind": "card", ...}) and answers the
// form's action. The portal escapes every string it draws, validates the
// block's config against the schema below, and signs the action's state.

export const BLOCK = "acme/kudos";

// The block's config, as its JSON Schema describes it.
interface Config {
  title?: string;
  prompt?: string;
}

export const configSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    title: { type: "string", title: "Title", minLength: 1, maxLength: 80 },
    prompt: { type: "string", title: "Prompt", description: "The question above the form.", maxLength: 200 },
  },
};

export const defaultConfig: Config = {
  title: "Kudos",
  prompt: "Who on our team helped you this month?",
};

// Viewer is the part of the protocol's Viewer this block reads.
export interface Viewer {
  name?: string;
  partner?: { name?: string } | null;
}

type Component = { kind: string; [key: string]: unknown };

// render builds the block's tree for a viewer.
export function render(config: Config, viewer: Viewer): Component {
  const c = { ...defaultConfig, ...config };
  const greeting = viewer.name ? `Hi ${viewer.name}. ` : "";
  return {
    kind: "card",
    title: c.title,
    icon: "star",
    body: [
      { kind: "text", text: greeting + (c.prompt ?? "") },
      {
        kind: "form",
        action: { name: "send" },
        fields: [
          { name: "who", label: "Who", required: true, maxLength: 80, autocomplete: "off" },
          { name: "why", label: "What for", type: "textarea", maxLength: 500 },
        ],
        submit: "Send kudos",
      },
    ],
  };
}

// ActionResult is the protocol's ActionResponse.
export interface ActionResult {
  message?: string;
  field_errors?: Record<string, string>;
  error?: string;
}

// act answers the block's actions: "send" checks the form and thanks the
// viewer. Values are lists, as a form may send a field more than once.
export function act(name: string, values: Record<string, string[]>, viewer: Viewer): ActionResult {
  if (name !== "send") {
    return { error: `acme/kudos has no action ${JSON.stringify(name)}` };
  }
  const who = (values.who?.[0] ?? "").trim();
  const why = (values.why?.[0] ?? "").trim();
  const errors: Record<string, string> = {};
  if (who === "") {
    errors.who = "Say who the kudos are for.";
  } else if (who.length > 80) {
    errors.who = "Keep the name under 80 characters.";
  }
  if (why.length > 500) {
    errors.why = "Keep it under 500 characters.";
  }
  if (Object.keys(errors).length > 0) {
    return { field_errors: errors };
  }
  const from = viewer.partner?.name ? ` from ${viewer.partner.name}` : "";
  return { message: `Kudos to ${who} sent${from}. Thank you!` };
}
