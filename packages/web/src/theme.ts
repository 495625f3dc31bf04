import { createTheme } from '@mui/material/styles';

export const theme = createTheme({
  palette: { primary: { main: '#1e4fd8' }, background: { default: '#f5f7fb' } },
  shape: { borderRadius: 8 },
});
