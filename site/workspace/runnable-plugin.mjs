// @ts-check
/**
 * Expressive Code plugin: a fenced block with meta `runnable` (```sh runnable, ```python runnable)
 * gets `data-dy-runnable="<language>"`, for the "Run in terminal" button.
 */
export function runnableBlocks() {
  return {
    name: 'dockyard-runnable',
    hooks: {
      /** @param {{ codeBlock: { meta: string, language?: string }, renderData: { blockAst: { properties?: Record<string, unknown> } } }} context */
      postprocessRenderedBlock: ({ codeBlock, renderData }) => {
        if (!/(^|\s)runnable(\s|$)/.test(codeBlock.meta)) return;
        renderData.blockAst.properties = { ...renderData.blockAst.properties, 'data-dy-runnable': codeBlock.language || 'sh' };
      },
    },
  };
}
