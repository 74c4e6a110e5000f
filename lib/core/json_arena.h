/* json_arena.h — internal: a bump arena for cJSON trees that live for one step of a walk.
 * A streamed document's item (dcx/doc.h) is made, rendered and deleted once per segment
 * level; made in the arena, its hundred small allocations are one pointer bump each and
 * its deletion is one reset. Only the making is done in the arena (json_arena_on ..
 * json_arena_off): anything made while a view renders the item (a copy kept for later)
 * comes from malloc as usual. Deleting a node the arena made is a no-op wherever it
 * happens; deleting any other node frees it. Per thread; off under AddressSanitizer, so
 * that it still sees every allocation. */
#ifndef DCX_JSON_ARENA_H
#define DCX_JSON_ARENA_H

/* Makes cJSON allocate from this thread's arena until json_arena_off(). */
void json_arena_on(void);
void json_arena_off(void);

/* Forgets everything the arena made (the trees made in it must have been deleted or
 * dropped), keeping its first block for the next item. */
void json_arena_reset(void);

/* Frees the arena's blocks (after the walk). */
void json_arena_release(void);

#endif
