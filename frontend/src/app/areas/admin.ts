// The admin pages (catalogue, online services, the unit's log): one chunk.
export { CataloguePage } from '../../features/admin/pages/CataloguePage'
export { ServicesPage } from '../../features/admin/pages/ServicesPage'
export { UnitLogPage } from '../../features/admin/pages/UnitLogPage'
