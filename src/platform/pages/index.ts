/** Server-rendered pages: the shared layout and stylesheet, and a renderer for a module's templates. */
export { createPageRenderer, type PageFrame, type PageRenderer } from './pages.renderer';
export { pagesAssetsRouter, PAGES_STYLESHEET_PATH } from './pages.assets';
export { messagePage, type MessagePage } from './pages.message';
