export { Button, ButtonLink } from './Button';
export { CheckboxField, CheckboxGroup, FileField, type Option, SelectField, TextArea, TextField } from './fields';
export { FilterBar, useUrlFilters } from './filters';
export { ErrorSummary, type Errors, type Form, FormView, useForm } from './form';
export { type Column, DataTable, PagedList, usePagedList } from './list';
export { Breadcrumbs, DateTime, Day, Details, markNavigated, PageHeader, Section, Tag, useDocumentTitle } from './page';
export { EmptyState, ErrorState, Loading, Notice, problemText } from './states';
export { check, rules } from './validate';
