/**
 * The conversation items the agent keeps and replays, and the tools it offers. Shapes follow the
 * Responses API input items (wire.md §2.2), which is the richer of the two wire APIs; the Chat
 * Completions client converts them to messages. Both clients produce these same items as output.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface InputText {
  type: 'input_text';
  text: string;
}
export interface InputImage {
  type: 'input_image';
  /** An https URL or a data: URL. */
  image_url: string;
  detail?: 'low' | 'high' | 'auto';
}
export interface OutputText {
  type: 'output_text';
  text: string;
}
export type ContentPart = InputText | InputImage | OutputText;

export interface MessageItem {
  type: 'message';
  role: 'user' | 'assistant' | 'developer' | 'system';
  content: ContentPart[];
  /** Provider item id; kept for reference, never sent back (requests are stateless). */
  id?: string;
  /** Responses `phase` on assistant messages (commentary | final_answer); replayed as received. */
  phase?: string;
}

export interface ReasoningItem {
  type: 'reasoning';
  id?: string;
  /** Reasoning summary paragraphs (Responses). */
  summary: Array<{ type: 'summary_text'; text: string }>;
  /** Raw reasoning text (open-weight models; Chat `reasoning_content` / `reasoning`). */
  content?: Array<{ type: 'reasoning_text'; text: string }>;
  /** Opaque reasoning state to replay to the same provider (Responses, `store:false`). */
  encrypted_content?: string;
}

export interface FunctionCallItem {
  type: 'function_call';
  call_id: string;
  name: string;
  /** The arguments exactly as the model produced them: a JSON string ("{}" when empty). */
  arguments: string;
  /**
   * The namespace tool the function was offered in (Responses `namespace`, e.g. `multi_agent_v1`); replayed
   * only to providers that take namespace tools, left out elsewhere.
   */
  namespace?: string;
  id?: string;
}

export interface CustomToolCallItem {
  type: 'custom_tool_call';
  call_id: string;
  name: string;
  /** Freeform input (for apply_patch: the patch text). */
  input: string;
  id?: string;
}

export type ToolOutput = string | Array<InputText | InputImage>;

export interface FunctionCallOutputItem {
  type: 'function_call_output';
  call_id: string;
  output: ToolOutput;
}

export interface CustomToolCallOutputItem {
  type: 'custom_tool_call_output';
  call_id: string;
  output: ToolOutput;
}

/**
 * A hosted web search the server ran (Responses `web_search_call`). It needs no output from us; it is
 * kept and replayed so the model sees what it searched. `action` is kept as received:
 * `{type:"search",query?,queries?,sources?}`, `{type:"open_page",url?}`, `{type:"find_in_page",url?,pattern?}`,
 * or a type the server cannot take back (`other`, see `replayableSearch`).
 */
export interface WebSearchCallItem {
  type: 'web_search_call';
  /** The provider's id (`ws_…`); never sent back. */
  id?: string;
  status?: string;
  action?: JsonObject;
}

export type ResponseItem =
  | MessageItem
  | ReasoningItem
  | FunctionCallItem
  | CustomToolCallItem
  | FunctionCallOutputItem
  | CustomToolCallOutputItem
  | WebSearchCallItem;

export type ToolCallItem = FunctionCallItem | CustomToolCallItem;

/** A group of function tools offered together (Responses `namespace` tool) where the provider takes them. */
export interface ToolNamespace {
  name: string;
  description: string;
}

export interface FunctionTool {
  type: 'function';
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: JsonObject;
  strict?: boolean;
  /**
   * Offered inside this namespace tool on Responses providers that take namespaces
   * (`supports_tool_namespaces`); elsewhere, and over Chat Completions, as a plain function.
   */
  namespace?: ToolNamespace;
}

export type CustomToolFormat = { type: 'text' } | { type: 'grammar'; syntax: 'lark' | 'regex'; definition: string };

/** A freeform tool (Responses `custom`). Over Chat Completions it is offered as a function with one string parameter. */
export interface CustomTool {
  type: 'custom';
  name: string;
  description: string;
  format?: CustomToolFormat;
}

/**
 * The hosted web search tool (Responses only; the server runs it). `external_web_access` false means
 * cached results only. Over Chat Completions it is never sent.
 */
export interface WebSearchTool {
  type: 'web_search';
  external_web_access: boolean;
  /** `["text","image"]` for models whose catalog says `text_and_image`. */
  search_content_types?: Array<'text' | 'image'>;
}

export type ToolSpec = FunctionTool | CustomTool | WebSearchTool;

/** Token counts of one model response. Missing details count as 0. */
export interface Usage {
  inputTokens: number;
  cachedInputTokens: number;
  /** Input tokens written to the prompt cache (`cache_write_tokens`, where servers report it). */
  cacheWriteInputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  totalTokens: number;
}

export function isToolCall(item: ResponseItem): item is ToolCallItem {
  return item.type === 'function_call' || item.type === 'custom_tool_call';
}

/** Web search action types the Responses API accepts back in `input` (it rejects `other`: Codex issues #6945, #7073). */
const REPLAYABLE_SEARCH_ACTIONS: ReadonlySet<string> = new Set(['search', 'open_page', 'find_in_page']);

/** A web_search_call the server takes back as input: one whose action is search, open_page or find_in_page. */
export function replayableSearch(item: WebSearchCallItem): boolean {
  const type = item.action?.type;
  return typeof type === 'string' && REPLAYABLE_SEARCH_ACTIONS.has(type);
}

/** The text of an assistant message item (output_text parts joined). */
export function messageText(item: MessageItem): string {
  let text = '';
  for (const part of item.content) if (part.type !== 'input_image') text += part.text;
  return text;
}
