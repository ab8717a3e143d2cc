/**
 * What the model is told about apply_patch: the Lark grammar of the freeform tool (the format of
 * codex-compat.md §4.4, which models are trained on) and the instructions of the function form.
 */

/** The patch format as a Lark grammar, for the Responses custom tool's `format`. */
export const APPLY_PATCH_LARK_GRAMMAR = `start: begin_patch hunk+ end_patch
begin_patch: "*** Begin Patch" LF
end_patch: "*** End Patch" LF?

hunk: add_hunk | delete_hunk | update_hunk
add_hunk: "*** Add File: " filename LF add_line+
delete_hunk: "*** Delete File: " filename LF
update_hunk: "*** Update File: " filename LF change_move? change?

filename: /(.+)/
add_line: "+" /(.*)/ LF -> line

change_move: "*** Move to: " filename LF
change: (change_context | change_line)+ eof_line?
change_context: ("@@" | "@@ " /(.+)/) LF
change_line: ("+" | "-" | " ") /(.*)/ LF
eof_line: "*** End of File" LF

%import common.LF
`;

export const FREEFORM_DESCRIPTION =
  'Edit files with a patch in the apply_patch format. This is a freeform tool: send the patch text itself, not JSON.';

/** The function form's description: the whole format, since no grammar constrains the model. */
export const FUNCTION_DESCRIPTION = `Edit files with a patch. \`input\` is the patch text:

*** Begin Patch
*** Add File: <path>          (then every line of the new file, each prefixed with +)
*** Delete File: <path>
*** Update File: <path>
*** Move to: <new path>       (optional, right after Update File, to rename)
@@ <a line above the change, e.g. a class or def, to locate it>   (or a bare @@)
 <context line, prefixed with one space>
-<removed line>
+<added line>
*** End of File               (optional: the chunk is at the end of the file)
*** End Patch

Rules: paths are relative to the working directory. Show about 3 lines of unchanged context above and
below each change; if that is not unique in the file, add @@ lines naming the enclosing class or function
(several @@ lines may be stacked). Several chunks and several files may go in one patch.

Example:
*** Begin Patch
*** Update File: src/app.py
@@ def greet():
-    print("Hi")
+    print("Hello")
*** Add File: NOTES.md
+Remember to run the tests.
*** End Patch`;
