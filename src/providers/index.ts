/**
 * Model providers: one normalized event stream over the OpenAI Responses and Chat Completions wire APIs,
 * with Codex's retry semantics, named Chat dialects, credentials and the auth.json store.
 */
export { createModelClient, collectTurn, type ModelClient, type ModelClientOptions, type TurnResult } from './client.js';
export type { ProviderEvent, ProviderEventType, StopReason } from './events.js';
export type {
  ResponseItem,
  MessageItem,
  ReasoningItem,
  FunctionCallItem,
  CustomToolCallItem,
  FunctionCallOutputItem,
  CustomToolCallOutputItem,
  WebSearchCallItem,
  WebSearchTool,
  ToolCallItem,
  ContentPart,
  InputText,
  InputImage,
  OutputText,
  ToolOutput,
  ToolSpec,
  FunctionTool,
  ToolNamespace,
  CustomTool,
  CustomToolFormat,
  Usage,
  JsonValue,
  JsonObject,
} from './items.js';
export { isToolCall, messageText, replayableSearch } from './items.js';
export type { TurnRequest, ToolChoice } from './request.js';
export { ProviderError, type ProviderErrorKind } from './errors.js';
export { resolveDialect, takesStructuredOutput, DIALECT_PRESETS, type ChatDialect, type DialectName } from './dialect.js';
export { resolveCredentials, type Credentials, type AuthContext } from './auth.js';
export { authFilePath, readStoredApiKey, storeApiKey, removeStoredAuth, maskKey, AUTH_FILE } from './auth-store.js';
export type { RetryTuning } from './retry.js';
export { buildResponsesBody } from './responses-request.js';
export { buildChatBody } from './chat-request.js';
export { decodeRecordedStream } from './recorded.js';
export { listProviderModels, LIST_MODELS_TIMEOUT_MS, type ListModelsOptions, type ProviderModels } from './models.js';
export { fetchModelCatalog, catalogRequestUrl, CATALOG_FETCH_TIMEOUT_MS, type FetchCatalogOptions } from './catalog-fetch.js';
export { chatTraits, chatSettingAdvice, adviceForRejected, type ChatTraits, type ChatSettingAdvice } from './chat-traits.js';
